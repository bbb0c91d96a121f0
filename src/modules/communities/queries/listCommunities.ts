import type { FilterQuery } from '@mikro-orm/core';
import type { Context } from '../../../context';
import { cursorValues } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge, type KeysetColumn } from '../../../shared/pagination';
import { Community, CommunityStatus } from '../community.entity';
import type { CommunitiesArgs } from '../community.inputs';

const ORDER: KeysetColumn[] = [
  { column: 'name', property: 'name', kind: 'string' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The listed communities (RESTRICTED ones too: their name and description are public), by name: ACTIVE and listed
 * only (the contract: approved, unretired); `community(slug)` still finds a retired one, as an archive.
 */
export async function listCommunities(ctx: Context, args: CommunitiesArgs): Promise<ConnectionResult<Edge<Community>>> {
  const page = parsePage(args, ORDER);
  const where: FilterQuery<Community>[] = [{ status: CommunityStatus.ACTIVE, listed: true }];
  const search = args.search?.trim();
  if (search) {
    const words = search.split(/\s+/).slice(0, 8);
    for (const word of words) {
      where.push({ $or: [{ name: { $ilike: likePattern(word) } }, { description: { $ilike: likePattern(word) } }] });
    }
  }
  const topic = args.topic?.trim().toLowerCase();
  if (topic) where.push({ topics: { $contains: [topic] } });
  const filter: FilterQuery<Community> = { $and: where };

  let seek: FilterQuery<Community> = {};
  if (page.after) {
    const [name, id] = page.after as [string, string];
    seek = { $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] };
  }
  const rows = await ctx.em.find(Community, { $and: [filter, seek] }, { orderBy: { name: 'asc', id: 'asc' }, limit: page.first + 1 });
  return toConnection(rows, page, (c) => cursorValues(c, ORDER), () => ctx.em.count(Community, filter));
}
