import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { requireMember } from '../../../../shared/policy';
import type { Member } from '../../../members/member.entity';

/**
 * The viewer revokes every calendar link they were given (their feed, RESTRICTED communities' meeting files): their
 * calendar version goes up, so earlier tokens no longer match; the new links come with the new version.
 */
export async function resetCalendarFeed(scope: CommandScope): Promise<{ member: Member; version: number }> {
  const member = requireMember(scope.actor);
  return scope.em.transactional(async (em) => {
    const [row] = await em.execute<{ version: number }[]>(
      'insert into calendar_feed (member_id, version, reset_at) values (?, 1, now()) ' +
        'on conflict (member_id) do update set version = calendar_feed.version + 1, reset_at = now() returning version',
      [member.id],
    );
    const version = Number(row!.version);
    await recordEvent(em, member.id, { type: 'CalendarFeedReset', memberId: member.id, version });
    return { member, version };
  });
}
