import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { requireMember } from '../../shared/policy';
import { CREATED_ORDER, cursorValues } from '../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../shared/pagination';
import { Community } from '../communities/community.entity';
import { Webhook } from './webhook.entity';
import { CreateWebhookInput, UpdateWebhookInput, WebhooksArgs } from './webhook.inputs';
import { deliveriesPageLoader, deliveryCountLoader } from './webhook.loaders';
import { authorizeWebhook } from './webhook.policy';
import { CreatedWebhook, WebhookConnection, WebhookDeliveryConnection } from './webhook.types';
import type { WebhookDelivery } from './webhookDelivery.entity';
import { createWebhook } from './commands/createWebhook';
import { updateWebhook } from './commands/updateWebhook';
import { deleteWebhook } from './commands/deleteWebhook';
import { listWebhooks } from './queries/listWebhooks';

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: "Newest first: staff see every webhook, a community's LEADs that community's" })
  webhooks(@Args() args: WebhooksArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Webhook>>> {
    return listWebhooks(ctx, args);
  }

  @Mutation(() => CreatedWebhook, { description: "Staff (one community, or all when communityId is omitted) or a community's LEAD (theirs)" })
  async createWebhook(@Arg('input') input: CreateWebhookInput, @Ctx() ctx: Context): Promise<CreatedWebhook> {
    requireMember(ctx.actor);
    const communityId = input.communityId ? parseId(input.communityId, 'Community', 'communityId') : null;
    return createWebhook(ctx, { communityId, url: input.url, events: input.events });
  }

  @Mutation(() => Webhook, { description: 'Whoever may manage it: staff, or a LEAD of its community' })
  async updateWebhook(@Arg('input') input: UpdateWebhookInput, @Ctx() ctx: Context): Promise<Webhook> {
    requireMember(ctx.actor);
    const { url, events, enabled } = input;
    return updateWebhook(ctx, { webhookId: parseId(input.webhookId, 'Webhook', 'webhookId'), url, events, enabled });
  }

  @Mutation(() => Webhook, { description: 'Deletes it and its deliveries; whoever may manage it' })
  async deleteWebhook(@Arg('webhookId', () => ID) webhookId: string, @Ctx() ctx: Context): Promise<Webhook> {
    requireMember(ctx.actor);
    return deleteWebhook(ctx, { webhookId: parseId(webhookId, 'Webhook', 'webhookId') });
  }

  @FieldResolver(() => Community, { nullable: true, description: 'Null: every community' })
  community(@Root() webhook: Webhook, @Ctx() ctx: Context): Promise<Community> | null {
    return webhook.community ? ctx.actor.community(webhook.community.id) : null;
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Newest first' })
  async deliveries(@Root() webhook: Webhook, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<WebhookDelivery>>> {
    await authorizeWebhook(ctx.actor, 'read', webhook);
    const page = parsePage(args, CREATED_ORDER);
    const rows = await deliveriesPageLoader(ctx.loaders, page).load(webhook.id);
    return toConnection(rows, page, (row) => cursorValues(row, CREATED_ORDER), () => deliveryCountLoader(ctx.loaders).load(webhook.id));
  }
}
