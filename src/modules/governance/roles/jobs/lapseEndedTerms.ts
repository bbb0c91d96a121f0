import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { BACKGROUND } from '../../../../jobs/backgroundEm';
import { toGlobalId } from '../../../../shared/ids';
import { Membership } from '../../../communities/membership.entity';
import { recordAudit } from '../../audit/recordAudit';
import { RoleTerm, RoleTermEndReason } from '../roleTerm.entity';
import { vacateIfUnheld } from '../roleTerms';

const BATCH = 200;

/**
 * Ends one term whose `termEndsAt` passed: the role leaves the membership, the term ends TERM_ENDED, and the role
 * becomes vacant if nobody else holds it. Locks the membership, then the term (as the commands do), and re-checks:
 * a term renewed or ended meanwhile (or by another instance) is left alone. Returns whether it lapsed.
 */
export async function lapseTerm(em: Em, membershipId: string, termId: string, now: Date): Promise<boolean> {
  return em.transactional(async (tx) => {
    const membership = await tx.findOne(Membership, { id: membershipId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['community'] });
    const term = membership && (await tx.findOne(RoleTerm, { id: termId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }));
    if (!membership || !term || term.endedAt || !term.termEndsAt || term.termEndsAt > now) return false;
    membership.roles = membership.roles.filter((role) => role !== term.role);
    term.endedAt = now;
    term.endReason = RoleTermEndReason.TERM_ENDED;
    const communityId = membership.community.id;
    const ref = { communityId, membershipId, memberId: membership.member.id, role: term.role, termId };
    await recordEvent(tx, null, { type: 'RoleTermEnded', ...ref });
    recordAudit(tx, null, {
      action: 'roles.termEnded',
      subject: { type: 'Membership', id: membershipId },
      communityId,
      details: { role: term.role, reason: RoleTermEndReason.TERM_ENDED, membershipId: toGlobalId('Membership', membershipId), termEndsAt: term.termEndsAt.toISOString() },
    });
    await vacateIfUnheld(tx, null, communityId, term.role);
    return true;
  });
}

/** Lapses every term that ended by `now`, each in its own transaction (one failure does not undo the others). */
export async function lapseEndedTerms(fork: () => Em, now: Date): Promise<number> {
  let lapsed = 0;
  let after = '';
  for (;;) {
    const rows = await fork().execute<{ id: string; membership_id: string }[]>(
      // Only ACTIVE communities: a retired one (on its own, split or merged) is an archive whose roles stay as they were.
      `select t.id, t.membership_id from role_term t join membership m on m.id = t.membership_id join community c on c.id = m.community_id ` +
        `where t.ended_at is null and t.term_ends_at <= ? and t.id > ? and c.status = 'ACTIVE' order by t.id limit ${BATCH}`,
      [now, after || '00000000-0000-0000-0000-000000000000'],
      'all',
      BACKGROUND,
    );
    for (const row of rows) if (await lapseTerm(fork(), row.membership_id, row.id, now)) lapsed += 1;
    if (rows.length < BATCH) return lapsed;
    after = rows[rows.length - 1]!.id;
  }
}
