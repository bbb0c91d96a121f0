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
class Skipped {
  constructor(readonly reason: string) {}
}

type Data = Record<string, unknown>;
type Describe = (ctx: Context, payload: Record<string, unknown>) => Promise<Data | Skipped>;

const ref = (type: string, id: unknown) => (typeof id === 'string' ? { id: toGlobalId(type, id) } : null);
const NOT_READABLE = new Skipped("The webhook's owner may not read this content");

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

/** Per domain event type: the current state a receiver needs, read through the owner's rights. */
const describers: Record<string, Describe> = {
  ThreadStarted: (ctx, payload) => describeThread(ctx, payload.threadId as string),
  PostAdded: describePost,
  PostEdited: describePost,
  PostDeleted: describePost,
  MemberJoined: describeMembership,
  MemberLeft: describeMembership,
  ResourceShared: describeResource,
};

/** Kinds without a describer (added by later modules) send their payload's plain values, IDs as stored. */
function plainPayload(payload: Data): Data {
  const { type: _type, communityId: _community, ...rest } = payload;
  return rest;
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
  const describe = describers[event.type];
  const payload = event.event as unknown as Data;
  const details = describe ? await describe(ctx, payload) : plainPayload(payload);
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
