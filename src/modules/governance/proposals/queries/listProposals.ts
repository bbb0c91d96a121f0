import type { Context } from '../../../../context';
import { CREATED_ORDER, cursorValues } from '../../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../../shared/pagination';
import { requireMember } from '../../../../shared/policy';
import { CommunityProposal, type ProposalStatus } from '../communityProposal.entity';
import { readsAllProposals } from '../proposal.policy';
import { effectiveStatusSql, timelineColumnsSql, timelineLoader, toTimeline } from '../proposalTimeline';

/**
 * Proposals newest first: the board and staff see every one, other members their own. The read rule and the status
 * filter (the status as of now, see proposalTimeline.ts) are both SQL, so pages are full and counts exact.
 */
export async function listProposals(
  ctx: Context,
  args: { status?: ProposalStatus | null; first?: number | null; after?: string | null },
): Promise<ConnectionResult<Edge<CommunityProposal>>> {
  const viewer = requireMember(ctx.actor);
  const page = parsePage(args, CREATED_ORDER);
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (!readsAllProposals(viewer)) {
    conditions.push('p.proposer_id = ?');
    params.push(viewer.id);
  }
  if (args.status) {
    conditions.push(`${effectiveStatusSql('p')} = ?`);
    params.push(args.status);
  }
  const where = conditions.length ? conditions.join(' and ') : 'true';
  const seek = page.after ? ' and (p.created_at, p.id) < (?, ?)' : '';
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `select p.*, ${timelineColumnsSql('p')} from community_proposal p where ${where}${seek} order by p.created_at desc, p.id desc limit ?`,
    [...params, ...(page.after ?? []), page.first + 1],
  );
  const loader = timelineLoader(ctx.loaders);
  const proposals = rows.map((row) => {
    const proposal = ctx.em.map(CommunityProposal, row);
    loader.prime(proposal.id, toTimeline(row as never));
    return proposal;
  });
  return toConnection(proposals, page, (proposal) => cursorValues(proposal, CREATED_ORDER), async () => {
    const [count] = await ctx.em.execute<{ n: string }[]>(`select count(*) as n from community_proposal p where ${where}`, params);
    return Number(count!.n);
  });
}
