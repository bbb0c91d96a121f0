import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import type { Em } from '../../../../db/orm';
import { recordEvent } from '../../../../events/record';
import { badField, badUserInput, conflict, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Member } from '../../../members/member.entity';
import { Meeting, MeetingKind } from '../../meeting/meeting.entity';
import { scheduleMeeting } from '../../meeting/commands/scheduleMeeting';
import { bestOption, type OptionTally } from '../bestOption';
import { TimePoll } from '../timePoll.entity';
import { TimePollOption } from '../timePollOption.entity';
import { CLOSE_REFUSAL } from '../timePoll.policy';

/** What the scheduled meeting may add to what the poll says (title and time come from the poll). */
export interface ScheduledMeetingDetails {
  kind?: MeetingKind | null;
  description?: string | null;
  url?: string | null;
  venue?: string | null;
  capacity?: number | null;
  timeZone?: string | null;
}

export interface CloseTimePollProps {
  pollId: string;
  /** The chosen option; null/undefined: the best one. */
  optionId?: string | null;
  /** Also schedule the meeting at the chosen time, with the closer's rights (scheduleMeeting). */
  schedule?: boolean | null;
  meeting?: ScheduledMeetingDetails;
}

type Tally = OptionTally & { option: TimePollOption };

/** Every option of a poll with its YES and IF_NEEDED counts, read in the closing transaction (under its lock). */
async function tallies(em: Em, pollId: string): Promise<Tally[]> {
  const options = await em.find(TimePollOption, { poll: pollId }, { orderBy: { startsAt: 'asc', position: 'asc' } });
  const rows = await em.execute<{ option_id: string; yes: string; if_needed: string }[]>(
    `select option_id, count(*) filter (where answer = 'YES') as yes, count(*) filter (where answer = 'IF_NEEDED') as if_needed ` +
      'from time_poll_vote where poll_id = ? group by option_id',
    [pollId],
  );
  const counts = new Map(rows.map((r) => [r.option_id, r]));
  return options.map((option) => ({
    option,
    id: option.id,
    startsAt: option.startsAt,
    position: option.position,
    yes: Number(counts.get(option.id)?.yes ?? 0),
    ifNeeded: Number(counts.get(option.id)?.if_needed ?? 0),
  }));
}

/**
 * Closes a poll on an option (the one given, or the best: most YES + IF_NEEDED, then most YES, then the earliest),
 * CLOSED for good; closing it again is CONFLICT. With `schedule`, the meeting is scheduled at that time by the
 * existing scheduleMeeting command, with the closer's rights, in the same transaction (a savepoint): if it is
 * refused, the poll stays open and nothing is written.
 */
export async function closeTimePoll(scope: CommandScope, props: CloseTimePollProps): Promise<TimePoll> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(TimePoll).load(props.pollId);
  if (!found) throw notFound('Time poll');
  await authorize(scope.actor, 'close', found, CLOSE_REFUSAL);
  const details = props.meeting ?? {};
  if (!props.schedule) {
    const extra = Object.entries(details).filter(([, value]) => value !== undefined && value !== null);
    if (extra.length) throw badUserInput(extra.map(([field]) => ({ field, message: 'applies only with schedule: true' })));
  }

  return scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, found.community.id);
    // FOR UPDATE: answers (which lock it FOR SHARE) wait, and then find it closed; a second close waits and conflicts.
    const poll = await em.findOneOrFail(TimePoll, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (poll.closedAt) throw conflict('This time poll is already closed');
    const all = await tallies(em, poll.id);
    const chosen = props.optionId ? all.find((t) => t.id === props.optionId) : bestOption(all);
    if (!chosen) throw props.optionId ? badField('optionId', 'is not an option of this poll') : conflict('This time poll has no options');
    const now = new Date();

    let meeting: Meeting | null = null;
    if (props.schedule) {
      if (chosen.option.startsAt.getTime() <= now.getTime()) throw badField('optionId', 'has already started: a meeting cannot be scheduled at that time');
      // The nested em.transactional in scheduleMeeting runs as a savepoint of this transaction.
      meeting = await scheduleMeeting(
        { ...scope, em },
        {
          communityId: poll.community.id,
          kind: details.kind ?? MeetingKind.MEETUP,
          title: poll.title,
          startsAt: chosen.option.startsAt,
          endsAt: chosen.option.endsAt,
          timeZone: details.timeZone ?? poll.timeZone,
          description: details.description ?? undefined,
          url: details.url ?? undefined,
          venue: details.venue ?? undefined,
          capacity: details.capacity ?? undefined,
        },
      );
    }

    poll.closedAt = now;
    poll.closedBy = em.getReference(Member, member.id);
    poll.chosenOption = chosen.option;
    poll.meeting = meeting ? em.getReference(Meeting, meeting.id) : null;
    await recordEvent(em, member.id, {
      type: 'TimePollClosed',
      communityId: poll.community.id,
      pollId: poll.id,
      optionId: chosen.id,
      chosenBy: props.optionId ? 'GIVEN' : 'BEST',
      meetingId: meeting?.id ?? null,
    });
    return poll;
  });
}
