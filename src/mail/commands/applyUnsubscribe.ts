import type { Em } from '../../db/orm';
import { recordEvent } from '../../events/record';
import type { UnsubscribeRequest } from '../unsubscribe';

export type UnsubscribeOutcome = 'unsubscribed' | 'already' | 'not-found';

const DIGEST_PREFERENCE = { DAILY: 'DAILY_DIGEST', WEEKLY: 'WEEKLY_DIGEST' } as const;

/**
 * Applies a verified one-click unsubscribe (no login: the signed token is the proof), recording each change as a
 * domain event in the same transaction:
 * - a community: that membership's notificationPreference becomes NONE (MembershipUpdated);
 * - a digest frequency: every membership of the member with that digest becomes NONE (MembershipUpdated each);
 * - direct notification email: the member's emailNotifications becomes NEVER (ProfileUpdated).
 * Doing it again changes nothing and is still a success ('already').
 */
export async function applyUnsubscribe(em: Em, request: UnsubscribeRequest): Promise<UnsubscribeOutcome> {
  const { memberId, scope } = request;
  return em.transactional(async (tx) => {
    const [member] = await tx.execute<{ id: string }[]>('select id from member where id = ? for update', [memberId]);
    if (!member) return 'not-found';
    if (scope.kind === 'direct') {
      const changed = await tx.execute<{ id: string }[]>(
        `update member set email_notifications = 'NEVER' where id = ? and email_notifications <> 'NEVER' returning id`,
        [memberId],
      );
      if (!changed.length) return 'already';
      await recordEvent(tx, memberId, { type: 'ProfileUpdated', memberId });
      return 'unsubscribed';
    }
    const changed =
      scope.kind === 'community'
        ? await tx.execute<{ id: string; community_id: string }[]>(
            `update membership set notification_preference = 'NONE', updated_at = now() ` +
              `where member_id = ? and community_id = ? and notification_preference <> 'NONE' returning id, community_id`,
            [memberId, scope.communityId],
          )
        : await tx.execute<{ id: string; community_id: string }[]>(
            `update membership set notification_preference = 'NONE', updated_at = now() ` +
              `where member_id = ? and notification_preference = ? returning id, community_id`,
            [memberId, DIGEST_PREFERENCE[scope.frequency]],
          );
    for (const row of changed) {
      await recordEvent(tx, memberId, {
        type: 'MembershipUpdated',
        communityId: row.community_id,
        membershipId: row.id,
        memberId,
        notificationPreference: 'NONE',
      });
    }
    if (changed.length) return 'unsubscribed';
    if (scope.kind === 'community') {
      const [exists] = await tx.execute<{ id: string }[]>(`select id from membership where member_id = ? and community_id = ?`, [
        memberId,
        scope.communityId,
      ]);
      if (!exists) return 'not-found';
    }
    return 'already';
  });
}
