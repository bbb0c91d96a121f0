import type { Services } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { BACKGROUND, backgroundEm } from '../../../../jobs/backgroundEm';
import { recordAudit } from '../../audit/recordAudit';
import { ProposalStatus } from '../communityProposal.entity';
import { effectiveStatusSql, overdueSql, reviewDeadlineSql, reviewStartSql } from '../proposalTimeline';

export const ADVANCE_PROPOSALS_JOB = 'proposals.advance';

/** Proposals handled per run; a backlog beyond it is taken by the next runs. */
const BATCH = 500;

export interface AdvancedProposals {
  reviewStarted: string[];
  overdue: string[];
}

/**
 * Records what time did to proposals (the `status` field already shows it, derived at read time): SUBMITTED ones
 * whose first board meeting has started become UNDER_REVIEW (ProposalReviewStarted), and undecided ones past their
 * deadline are recorded overdue once (`overdue_notified_at`, ProposalOverdue: the board and staff are notified).
 * Each row is claimed by its own UPDATE (rows a command holds locked are skipped, then re-checked next run), so two
 * instances or a re-run record nothing twice. The events and audit entries commit with the claims.
 */
export async function advanceProposals(services: Services): Promise<AdvancedProposals> {
  const em = backgroundEm(services.orm);
  return em.transactional(
    async (tem) => {
      const started = await tem.execute<{ id: string; review_started_at: Date }[]>(
        `update community_proposal p set status = '${ProposalStatus.UNDER_REVIEW}', review_started_at = ${reviewStartSql('p')} ` +
          `where p.id in (select q.id from community_proposal q where q.status = '${ProposalStatus.SUBMITTED}' ` +
          `and ${effectiveStatusSql('q')} = '${ProposalStatus.UNDER_REVIEW}' limit ${BATCH} for update skip locked) ` +
          `and p.status = '${ProposalStatus.SUBMITTED}' returning p.id, p.review_started_at`,
        [],
        'all',
        BACKGROUND,
      );
      for (const row of started) {
        await recordEvent(tem, null, { type: 'ProposalReviewStarted', proposalId: row.id });
        recordAudit(tem, null, {
          action: 'proposal.reviewStarted',
          subject: { type: 'CommunityProposal', id: row.id },
          details: { before: { status: ProposalStatus.SUBMITTED }, after: { status: ProposalStatus.UNDER_REVIEW }, at: new Date(row.review_started_at).toISOString() },
        });
      }
      const overdue = await tem.execute<{ id: string; review_deadline: Date }[]>(
        `update community_proposal p set overdue_notified_at = now() ` +
          `where p.id in (select q.id from community_proposal q where q.overdue_notified_at is null and ${overdueSql('q')} limit ${BATCH} for update skip locked) ` +
          `and p.overdue_notified_at is null returning p.id, ${reviewDeadlineSql('p')} as review_deadline`,
        [],
        'all',
        BACKGROUND,
      );
      for (const row of overdue) {
        const reviewDeadline = new Date(row.review_deadline).toISOString();
        await recordEvent(tem, null, { type: 'ProposalOverdue', proposalId: row.id, reviewDeadline });
        recordAudit(tem, null, { action: 'proposal.overdue', subject: { type: 'CommunityProposal', id: row.id }, details: { reviewDeadline } });
      }
      return { reviewStarted: started.map((row) => row.id), overdue: overdue.map((row) => row.id) };
    },
    { loggerContext: BACKGROUND },
  );
}
