import type { Em } from '../../../db/orm';
import type { StoredEvent } from '../../../events/dispatcher';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { NotificationKind } from '../../notifications/notification.entity';
import { recipientsSql, registerAudience, type Audience } from '../../notifications/fanout/audiences';
import { ORG_ABILITIES } from '../../members/organisation.policy';
import { ProposalDecision } from './communityProposal.entity';

/*
 * Who hears of proposals: the board and staff (everyone who reads every proposal: `readProposals`) of a new or an
 * overdue one, the proposer of the decision. The event's actor is left out by the fan-out; the inbox re-reads the
 * subject through node(id), i.e. the proposal's read rule.
 */

const readersOfAll = `select m.id as recipient_id from member m where m.org_role::text in (${ORG_ABILITIES.readProposals.map(() => '?').join(', ')})`;

type Names = { name: string; proposerId: string; actor: string | null };

async function proposalNames(em: Em, stored: StoredEvent, proposalId: string): Promise<Names | null> {
  const [row] = await em.execute<{ name: string; proposer_id: string; actor: string | null }[]>(
    'select p.name, p.proposer_id, (select display_name from member where id = ?) as actor from community_proposal p where p.id = ?',
    [stored.actorId, proposalId],
    'all',
    BACKGROUND,
  );
  return row ? { name: row.name, proposerId: row.proposer_id, actor: row.actor } : null;
}

const about = (proposalId: string) => ({ communityId: null, subjectType: 'CommunityProposal', subjectId: proposalId });

registerAudience('ProposalSubmitted', async (em, stored): Promise<Audience | null> => {
  const { proposalId } = stored.event as { proposalId: string };
  const names = await proposalNames(em, stored, proposalId);
  if (!names) return null;
  return {
    ...about(proposalId),
    sql: recipientsSql(NotificationKind.PROPOSAL_SUBMITTED, '?', readersOfAll),
    params: [`${names.actor ?? 'A member'} proposed a new community: “${names.name}”`, ...ORG_ABILITIES.readProposals],
  };
});

registerAudience('ProposalDecided', async (em, stored): Promise<Audience | null> => {
  const { proposalId, decision } = stored.event as { proposalId: string; decision: string };
  const names = await proposalNames(em, stored, proposalId);
  if (!names) return null;
  const outcome = decision === ProposalDecision.APPROVE ? 'was approved: the community is open and you are its lead' : 'was declined';
  return {
    ...about(proposalId),
    sql: recipientsSql(NotificationKind.PROPOSAL_DECIDED, '?', 'select ?::uuid as recipient_id'),
    params: [`Your proposal “${names.name}” ${outcome}`, names.proposerId],
  };
});

registerAudience('ProposalOverdue', async (em, stored): Promise<Audience | null> => {
  const { proposalId } = stored.event as { proposalId: string };
  const names = await proposalNames(em, stored, proposalId);
  if (!names) return null;
  // Nothing if it was decided or withdrawn between the job and the fan-out.
  return {
    ...about(proposalId),
    sql: recipientsSql(
      NotificationKind.PROPOSAL_OVERDUE,
      '?',
      `${readersOfAll} and exists (select 1 from community_proposal p where p.id = ? and p.decided_at is null and p.withdrawn_at is null)`,
    ),
    params: [`The proposal “${names.name}” is past its review deadline without a decision`, ...ORG_ABILITIES.readProposals, proposalId],
  };
});
