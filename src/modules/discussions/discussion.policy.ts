import { allow, can, verdict } from '../../shared/policy';
import { CommunityRole } from '../communities/membership.entity';
import { Thread } from './thread.entity';
import { Post } from './post.entity';

allow(Thread, 'read', async (actor, thread) => can(actor, 'readContent', await actor.community(thread.community.id)));

/** A locked thread refuses replies from everyone. `verdict` keeps the write rule's reason (a retired community). */
allow(Thread, 'reply', async (actor, thread) => !thread.locked && verdict(actor, 'write', await actor.community(thread.community.id)));

allow(Thread, ['pin', 'lock'], async (actor, thread) => can(actor, 'moderate', await actor.community(thread.community.id)));

/** QUESTION threads: the thread's author or a discussion monitor picks the accepted answer. */
allow(Thread, 'acceptAnswer', async (actor, thread) => {
  if (!actor.member) return false;
  const membership = await actor.membershipIn(thread.community.id);
  if (!membership?.isActive) return false;
  return thread.author.id === actor.member.id || membership.hasRole(CommunityRole.DISCUSSION_MONITOR);
});

allow(Post, 'read', async (actor, post) => can(actor, 'read', await actor.thread(post.thread.id)));

/** Only the author edits, while still an ACTIVE member. */
allow(Post, 'edit', async (actor, post) => {
  if (!actor.member || post.author.id !== actor.member.id) return false;
  const thread = await actor.thread(post.thread.id);
  return verdict(actor, 'write', await actor.community(thread.community.id));
});

/**
 * The author (while an ACTIVE member), a discussion monitor, a lead or staff. Taking one's own words down is not
 * writing: it stays possible in a retired (read-only) community.
 */
allow(Post, 'delete', async (actor, post) => {
  const thread = await actor.thread(post.thread.id);
  const community = await actor.community(thread.community.id);
  if (actor.member && post.author.id === actor.member.id && (await can(actor, 'belong', community))) return true;
  return can(actor, 'moderate', community);
});

allow(Post, 'react', async (actor, post) => {
  const thread = await actor.thread(post.thread.id);
  return verdict(actor, 'write', await actor.community(thread.community.id));
});
