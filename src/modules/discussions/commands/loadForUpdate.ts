import type { Em } from '../../../db/orm';
import { notFound } from '../../../shared/errors';
import { Post } from '../post.entity';
import { Thread } from '../thread.entity';

/*
 * Row locks for the writing transactions, always taken post first, then its thread.
 *
 * They are FOR NO KEY UPDATE, not FOR UPDATE: inserting a reply (thread_id, parent_id), a reaction (post_id) or
 * setting an accepted answer (accepted_answer_id) takes a KEY SHARE lock on the referenced row for the foreign key,
 * and FOR UPDATE blocks that. With FOR UPDATE a reply to a post that is being deleted, or an answer accepted while
 * it is deleted, waited on each other in a cycle until PostgreSQL aborted one as a deadlock.
 *
 * Each re-reads the row inside the transaction (refreshing the request's copy), so counters and flags never race.
 */
async function lockRow<T extends Thread | Post>(em: Em, entity: new () => T, table: string, id: string, mode: string): Promise<T | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select * from "${table}" where id = ? ${mode}`, [id]);
  return row ? em.map(entity, row) : null;
}

export async function lockThread(em: Em, id: string): Promise<Thread> {
  const thread = await lockRow(em, Thread, 'thread', id, 'for no key update');
  if (!thread) throw notFound('Thread');
  return thread;
}

export async function lockPost(em: Em, id: string): Promise<Post> {
  const post = await lockRow(em, Post, 'post', id, 'for no key update');
  if (!post) throw notFound('Post');
  return post;
}

/** Shared lock: many members react at once, while a deletion waits for them (and they for it). */
export async function lockPostShared(em: Em, id: string): Promise<Post> {
  const post = await lockRow(em, Post, 'post', id, 'for share');
  if (!post) throw notFound('Post');
  return post;
}

/** Normalises free-form tags: trimmed, lower-case, unique. */
export const normalizeTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
