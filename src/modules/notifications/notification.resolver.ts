import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context';
import { Node } from '../../shared/baseEntity';
import { badField } from '../../shared/errors';
import { parseId } from '../../shared/ids';
import type { ConnectionResult, Edge } from '../../shared/pagination';
import { requireMember } from '../../shared/policy';
import { Community } from '../communities/community.entity';
import { Member } from '../members/member.entity';
import { authorizeSettings } from '../members/member.resolver';
import { markNotificationsRead } from './commands/markNotificationsRead';
import { Notification } from './notification.entity';
import { MarkNotificationsReadInput, NotificationsArgs } from './notification.inputs';
import { NotificationConnection } from './notification.types';
import { notificationStream } from './notificationStream';
import { countNotifications, listNotifications } from './queries/listNotifications';
import { readableSubject } from './queries/readableSubject';
import './notification.policy';

@Resolver(() => Notification)
export class NotificationResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'Who caused it; null for the system' })
  actor(@Root() notification: Notification, @Ctx() ctx: Context): Promise<Member | null> | null {
    return notification.actor ? ctx.loaders.byId(Member).load(notification.actor.id) : null;
  }

  @FieldResolver(() => Community, { nullable: true })
  community(@Root() notification: Notification, @Ctx() ctx: Context): Promise<Community | null> | null {
    return notification.community ? ctx.loaders.byId(Community).load(notification.community.id) : null;
  }

  @FieldResolver(() => Node, { nullable: true, description: 'What it is about (a post, thread, membership, pairing…); null when gone or no longer visible' })
  subject(@Root() notification: Notification, @Ctx() ctx: Context): Promise<object | null> {
    return readableSubject(ctx, notification);
  }

  @Mutation(() => Member, { description: "Marks the viewer's notifications read (the given ones, or all); returns the viewer" })
  async markNotificationsRead(@Arg('input') input: MarkNotificationsReadInput, @Ctx() ctx: Context): Promise<Member> {
    requireMember(ctx.actor);
    const ids = input.ids ?? [];
    if (input.all && ids.length) throw badField('all', 'give either ids or all: true, not both');
    if (input.all) return markNotificationsRead(ctx, { all: true });
    return markNotificationsRead(ctx, { notificationIds: ids.map((id) => parseId(id, 'Notification', 'ids')) });
  }

  @Subscription(() => Notification, {
    description: "The viewer's own notifications as they are made (needs a token)",
    subscribe: async ({ context }) => {
      const ctx = context as Context;
      const viewer = requireMember(ctx.actor);
      return notificationStream(ctx, viewer.id);
    },
  })
  notificationAdded(@Root() notification: Notification): Notification {
    return notification;
  }
}

@Resolver(() => Member)
export class MemberNotificationsResolver {
  @FieldResolver(() => NotificationConnection, {
    description: 'Their inbox, newest first. The member themself only (FORBIDDEN to anyone else)',
  })
  async notifications(@Root() member: Member, @Args() args: NotificationsArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Notification>>> {
    await authorizeSettings(ctx, member);
    return listNotifications(ctx, member, args);
  }

  @FieldResolver(() => Int, { description: 'Unread notifications in their inbox. The member themself only (FORBIDDEN to anyone else)' })
  async unreadNotificationCount(@Root() member: Member, @Ctx() ctx: Context): Promise<number> {
    await authorizeSettings(ctx, member);
    return countNotifications(ctx, member, true);
  }
}
