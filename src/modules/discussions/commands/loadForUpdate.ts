import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import { notFound } from '../../../shared/errors';
import { Post } from '../post.entity';
import { Thread } from '../thread.entity';

/** Re-reads a thread inside the writing transaction, row-locked, so counters and flags never race. */
export async function lockThread(em: Em, id: string): Promise<Thread> {
  const thread = await em.findOne(Thread, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!thread) throw notFound('Thread');
  return thread;
}

export async function lockPost(em: Em, id: string): Promise<Post> {
  const post = await em.findOne(Post, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!post) throw notFound('Post');
  return post;
}

/** Normalises free-form tags: trimmed, lower-case, unique. */
export const normalizeTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
