import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/storedEvent';
import { scopeFor, type Context, type Services } from '../../../context';
import { toGlobalId } from '../../../shared/ids';
import { can } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Thread } from '../../discussions/thread.entity';
import { Post } from '../../discussions/post.entity';
import { Resource } from '../../resources/resource.entity';
import type { Webhook } from '../webhook.entity';
import '../webhook.policy';
import '../../communities/community.policy';
import '../../discussions/discussion.policy';
import '../../resources/resource.policy';

/** What a delivery sends, or why it is not sent. */
export type Prepared = { body: string } | { skipped: string };

/** A describer's answer when the owner may not read what the event is about. */
export class Skipped {
  constructor(readonly reason: string) {}
}

type Data = Record<string, unknown>;
/** What one event kind's delivery says, read through the webhook owner's rights (`ctx` is the owner's scope). */
export type Describe = (ctx: Context, payload: Record<string, unknown>) => Promise<Data | Skipped>;

export const ref = (type: string, id: unknown) => (typeof id === 'string' ? { id: toGlobalId(type, id) } : null);
export const NOT_READABLE = new Skipped("The webhook's owner may not read this content");

async function describeThread(ctx: Context, threadId: string): Promise<Data | Skipped> {
  const thread = await ctx.loaders.byId(Thread).load(threadId);
  if (!thread) return { thread: ref('Thread', threadId) };
  if (!(await can(ctx.actor, 'read', thread))) return NOT_READABLE;
  return { thread: { id: thread.nodeId, title: thread.title, kind: thread.kind, author: ref('Member', thread.author.id) } };
}

async function describePost(ctx: Context, payload: Data): Promise<Data | Skipped> {
  const thread = await describeThread(ctx, payload.threadId as string);
  if (thread instanceof Skipped) return thread;
  const post = await ctx.loaders.byId(Post).load(payload.postId as string);
  if (!post) return { ...thread, post: ref('Post', payload.postId) };
  if (!(await can(ctx.actor, 'read', post))) return NOT_READABLE;
  return {
    ...thread,
    post: {
      id: post.nodeId,
      author: ref('Member', post.author.id),
      parent: post.parent ? ref('Post', post.parent.id) : null,
      body: post.deleted ? null : post.body,
      deleted: post.deleted,
      createdAt: post.createdAt.toISOString(),
      editedAt: post.editedAt?.toISOString() ?? null,
    },
  };
}

async function describeMembership(ctx: Context, payload: Data): Promise<Data> {
  const member = await ctx.loaders.byId(Member).load(payload.memberId as string);
  return {
    membership: ref('Membership', payload.membershipId),
    member: member ? { id: member.nodeId, displayName: member.displayName } : ref('Member', payload.memberId),
  };
}

async function describeResource(ctx: Context, payload: Data): Promise<Data | Skipped> {
  const resource = await ctx.loaders.byId(Resource).load(payload.resourceId as string);
  if (!resource) return { resource: ref('Resource', payload.resourceId) };
  if (!(await can(ctx.actor, 'read', resource))) return NOT_READABLE;
  return {
    resource: resource.removed
      ? { id: resource.nodeId, removed: true }
      : { id: resource.nodeId, title: resource.title, url: resource.url, kind: resource.kind, sharedBy: ref('Member', resource.sharedBy.id) },
  };
}

/**
 * Per domain event type: the current state a receiver needs, read through the owner's rights. A webhook event type
 * is only delivered once it has a describer here (fail closed: see `prepareDelivery`).
 */
const describers: Record<string, Describe> = {
  // The community (read above through the owner's rights) is all there is to say.
  CommunityCreated: async () => ({}),
  ThreadStarted: (ctx, payload) => describeThread(ctx, payload.threadId as string),
  PostAdded: describePost,
  PostEdited: describePost,
  PostDeleted: describePost,
  MemberJoined: describeMembership,
  MemberLeft: describeMembership,
  ResourceShared: describeResource,
};

/**
 * Another module's describer for its own event kind (governance, meetings…), declared next to its events. It must
 * check the owner's read rights on what it describes (a proposal is for its proposer, board and staff).
 */
export function registerWebhookDescriber(type: string, describe: Describe): void {
  if (Object.hasOwn(describers, type)) throw new Error(`The webhook body of ${type} is declared twice`);
  describers[type] = describe;
}

/**
 * The body of one delivery, built when it is sent: `{ type, timestamp, data }` (Standard Webhooks), `data` holding
 * global IDs and what a receiver needs to act without calling back. Read as the webhook's owner sees it now: an
 * owner who may no longer manage the webhook, or read the event's community or content, gets nothing (skipped).
 */
export async function prepareDelivery(services: Services, em: Em, webhook: Webhook, event: StoredEvent, type: string): Promise<Prepared> {
  const owner = webhook.owner ? await em.findOne(Member, { id: webhook.owner.id }) : null;
  if (!owner) return { skipped: 'The member who made this webhook is gone' };
  const ctx = scopeFor(services, owner, em);
  if (!(await can(ctx.actor, 'read', webhook))) return { skipped: "The webhook's owner may no longer manage it" };
  let community: Community | null = null;
  if (event.communityId) {
    community = await ctx.loaders.byId(Community).load(event.communityId);
    if (community && !(await can(ctx.actor, 'readContent', community))) return { skipped: "The webhook's owner may not read this community" };
  }
  // Fail closed: a kind with no describer has no known read check on its content (it may be readable by fewer
  // members than its community, e.g. a proposal's board), so nothing of it is sent.
  const describe = Object.hasOwn(describers, event.type) ? describers[event.type] : undefined;
  if (!describe) return { skipped: `No webhook body is defined for ${event.type} events yet` };
  const payload = event.event as unknown as Data;
  const details = await describe(ctx, payload);
  if (details instanceof Skipped) return { skipped: details.reason };
  const data = {
    eventId: event.id,
    community: community
      ? { id: community.nodeId, slug: community.slug, name: community.name, visibility: community.visibility }
      : event.communityId
        ? ref('Community', event.communityId)
        : null,
    actor: ref('Member', event.actorId),
    ...details,
  };
  return { body: JSON.stringify({ type, timestamp: event.createdAt.toISOString(), data }) };
}
