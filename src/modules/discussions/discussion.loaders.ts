import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn, CREATED_ORDER } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { Post } from './post.entity';
import { Thread } from './thread.entity';

/** Pinned first, then latest activity; all descending so one row comparison seeks past a cursor. */
export const FEED_ORDER: OrderColumn[] = [
  { column: 'pinned', property: 'pinned', kind: 'boolean' },
  { column: 'last_activity_at', property: 'lastActivityAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

export const POST_ORDER = CREATED_ORDER;

/**
 * The community feed; each thread's author comes in the same statement. Threads and authors are read-only views
 * (shown, never changed): no identity map or change tracking for a page that is only read.
 */
export const threadsPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<Thread>(
    registry,
    'threadsOfCommunity',
    {
      entity: Thread,
      table: 'thread',
      parentColumn: 'community_id',
      order: FEED_ORDER,
      direction: 'desc',
      include: { column: 'author_id', table: 'member', entity: Member },
      readOnly: true,
    },
    page,
  );

export const threadCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'threadsOfCommunity', 'thread', 'community_id');

/** Replies of many threads; each post's author comes in the same statement (read-only views, as the feed's). */
export const postsPageLoader = (registry: LoaderRegistry, page: Page, direction: 'asc' | 'desc') =>
  childPageLoader<Post>(
    registry,
    `postsOfThread:${direction}`,
    {
      entity: Post,
      table: 'post',
      parentColumn: 'thread_id',
      order: POST_ORDER,
      direction,
      include: { column: 'author_id', table: 'member', entity: Member },
      readOnly: true,
    },
    page,
  );

/** All posts of a thread, tombstones included (they keep their place in the conversation). */
export const postCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'postsOfThread', 'post', 'thread_id');

export interface ReactionSummary {
  emoji: string;
  count: number;
  viewerReacted: boolean;
}

/** Per post: each emoji with its count and whether the viewer used it, in order of first use. One GROUP BY. */
export function reactionsLoader(registry: LoaderRegistry) {
  return registry.get<ReactionSummary[]>('reactions', () =>
    new DataLoader<string, ReactionSummary[]>(async (postIds) => {
      const rows = await registry.em.execute<{ post_id: string; emoji: string; total: string | number; mine: boolean }[]>(
        `select post_id, emoji, count(*) as total, coalesce(bool_or(member_id = ?), false) as mine ` +
          `from reaction where post_id in (?) group by post_id, emoji order by post_id, min(created_at), emoji`,
        [registry.viewerId, [...postIds]],
      );
      const byPost = new Map<string, ReactionSummary[]>();
      for (const row of rows) {
        const list = byPost.get(row.post_id) ?? [];
        list.push({ emoji: row.emoji, count: Number(row.total), viewerReacted: row.mine === true });
        byPost.set(row.post_id, list);
      }
      return postIds.map((id) => byPost.get(id) ?? []);
    }),
  );
}
