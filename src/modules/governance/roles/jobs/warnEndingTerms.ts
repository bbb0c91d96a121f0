import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { BACKGROUND } from '../../../../jobs/backgroundEm';

const BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * Records one RoleTermEnding (→ ROLE_TERM_ENDING to the holder and the LEADs) for each open term ending within
 * `warningDays` of `now` that was not warned of yet. The mark and the event share a transaction, and rows another
 * instance is marking are skipped (SKIP LOCKED), so each term is warned of once per end date. Returns how many.
 */
export async function warnEndingTerms(em: Em, now: Date, warningDays: number): Promise<number> {
  const horizon = new Date(now.getTime() + warningDays * DAY_MS);
  let warned = 0;
  for (;;) {
    const count = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string; membership_id: string; role: string; term_ends_at: Date | string; community_id: string; member_id: string }[]>(
        `update role_term t set ending_notified_at = ? from membership m where m.id = t.membership_id and t.id in (` +
          // Only ACTIVE communities: nobody is asked to hand over a role in a retired archive.
          `select r.id from role_term r join membership rm on rm.id = r.membership_id join community c on c.id = rm.community_id ` +
          `where r.ended_at is null and r.ending_notified_at is null and r.term_ends_at > ? and r.term_ends_at <= ? and c.status = 'ACTIVE' ` +
          `order by r.term_ends_at limit ${BATCH} for update of r skip locked) ` +
          `returning t.id, t.membership_id, t.role, t.term_ends_at, m.community_id, m.member_id`,
        [now, now, horizon],
        'all',
        BACKGROUND,
      );
      for (const row of rows) {
        await recordEvent(tx, null, {
          type: 'RoleTermEnding',
          communityId: row.community_id,
          membershipId: row.membership_id,
          memberId: row.member_id,
          role: row.role,
          termId: row.id,
          termEndsAt: new Date(row.term_ends_at).toISOString(),
        });
      }
      return rows.length;
    });
    warned += count;
    if (count < BATCH) return warned;
  }
}
