import type { Context } from '../../context';
import { badField } from '../../shared/errors';
import { parseId } from '../../shared/ids';
import { decodeCursor, encodeCursor, parsePage } from '../../shared/pagination';
import { authorize } from '../../shared/policy';
import { hasOrgAbility } from '../members/organisation.policy';
import { Post } from '../discussions/post.entity';
import { Thread } from '../discussions/thread.entity';
import { Resource } from '../resources/resource.entity';
import type { SearchArgs } from './search.inputs';
import { SearchHitConnection, SearchHitEdge } from './search.types';
import { runSearch, scoreOf, SEARCH_HIT_TYPES, type SearchCursor, type SearchHitType } from './searchQuery';
import { parseHeadline } from './snippet';
import '../discussions/discussion.policy';
import '../resources/resource.policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// PostgreSQL text cannot hold NUL, and control characters are never meant; they become spaces.
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** The member's words as text: control characters out, whitespace trimmed; blank is BAD_USER_INPUT. */
export function searchText(query: string): string {
  const text = query.replace(CONTROL, ' ').trim();
  if (!text) throw badField('query', 'must not be blank');
  return text;
}

/** A search cursor is (key, type, id); anything else, including another connection's cursor, is BAD_USER_INPUT. */
function parseSearchCursor(after: string | null | undefined): SearchCursor | null {
  if (!after) return null;
  const values = decodeCursor(after);
  const [key, type, id] = values;
  if (values.length !== 3 || typeof key !== 'number' || !Number.isFinite(key) || !SEARCH_HIT_TYPES.includes(type as SearchHitType) || typeof id !== 'string' || !UUID.test(id)) {
    throw badField('after', 'is not a valid cursor');
  }
  return { key, type: type as SearchHitType, id };
}

const ENTITIES = { Thread, Post, Resource } as const;

/** Content the ranking statement excludes (deleted posts, removed resources); threads are never soft-deleted. */
const gone = (node: Thread | Post | Resource) => (node instanceof Post && node.deleted) || (node instanceof Resource && node.removed);

/**
 * `search`: full-text over threads, replies and resources the viewer may read, best first (see searchQuery.ts for
 * the ranking and its cost bound). Visibility is decided in SQL; each hit is then checked against its read policy
 * as well, so SQL and policies can never silently disagree.
 */
export async function search(ctx: Context, args: SearchArgs): Promise<SearchHitConnection> {
  const text = searchText(args.query);
  const page = parsePage({ first: args.first }, []);
  const after = parseSearchCursor(args.after);
  let communityId: string | null = null;
  if (args.communityId) {
    communityId = parseId(args.communityId, 'Community', 'communityId');
    await authorize(ctx.actor, 'readContent', await ctx.actor.community(communityId), 'This community is for members only');
  }
  const result = await runSearch(ctx.em, {
    text,
    viewerId: ctx.viewer?.id ?? null,
    viewerIsStaff: hasOrgAbility(ctx.viewer, 'superviseCommunities'),
    communityId,
    first: page.first,
    after,
    candidateCap: ctx.services.config.searchCandidateCap,
  });
  const hasNextPage = result.rows.length > page.first;
  const rows = result.rows.slice(0, page.first);
  const nodes = await Promise.all(rows.map((row) => ctx.loaders.byId<Thread | Post | Resource>(ENTITIES[row.type]).load(row.id)));
  const now = Date.now();
  const edges = await Promise.all(
    rows.map(async (row, i) => {
      const node = nodes[i];
      // Deleted (or, for posts and resources, soft-deleted) after the ranking statement and before this read: the hit
      // is no longer there to show. Skipping it costs the page one hit (totalCount, from the same statement, may still
      // count it); failing would cost the viewer every other one.
      if (!node || gone(node)) return null;
      await authorize(ctx.actor, 'read', node, 'This community is for members only');
      return Object.assign(new SearchHitEdge(), {
        cursor: encodeCursor([row.key, row.type, row.id]),
        node,
        snippet: parseHeadline(row.headline),
        rank: row.rank,
        score: scoreOf(row.key, now),
      });
    }),
  );
  // The last ranked row, shown or not, is where the next page starts (a page whose hits all vanished still moves on).
  const last = rows.at(-1);
  return Object.assign(new SearchHitConnection(), {
    edges: edges.filter((edge) => edge !== null),
    pageInfo: { hasNextPage, endCursor: last ? encodeCursor([last.key, last.type, last.id]) : null },
    totalCount: result.total,
    truncated: result.capped,
  });
}
