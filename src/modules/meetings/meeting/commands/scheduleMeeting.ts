import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { Member } from '../../../members/member.entity';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { annualYearOf, ANNUAL_WEEK_MESSAGE } from '../annualWeek';
import { Meeting, MeetingKind, MeetingStatus } from '../meeting.entity';
import { applyMeetingDetails, type MeetingDetails } from '../meetingDetails';
import { ANNUAL_REFUSAL, SCHEDULE_REFUSAL } from '../meeting.policy';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { replaceReminders } from '../../reminders/reminderSchedule';

export interface ScheduleMeetingProps extends MeetingDetails {
  communityId: string;
  kind: MeetingKind;
  title: string;
  startsAt: Date;
}

/**
 * A community's organiser puts a meeting on its calendar, SCHEDULED. An ANNUAL meeting exists for every year from
 * the community's founding (the API creates it); scheduling one for a year that has it is CONFLICT, and only staff
 * schedule one at all.
 */
export async function scheduleMeeting(scope: CommandScope, props: ScheduleMeetingProps): Promise<Meeting> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  const annual = props.kind === MeetingKind.ANNUAL;
  await authorize(scope.actor, annual ? 'scheduleAnnualMeeting' : 'scheduleMeetings', community, annual ? ANNUAL_REFUSAL : SCHEDULE_REFUSAL);
  const { orgTimeZone } = scope.services.config;
  const annualYear = annual ? annualYearOf(props.startsAt, orgTimeZone) : null;
  if (annual && annualYear === null) throw badField('startsAt', ANNUAL_WEEK_MESSAGE);

  const meeting = new Meeting();
  meeting.community = scope.em.getReference(Community, community.id);
  meeting.createdBy = scope.em.getReference(Member, member.id);
  meeting.kind = props.kind;
  meeting.status = MeetingStatus.SCHEDULED;
  meeting.annualYear = annualYear;
  meeting.timeZone = props.timeZone ?? member.timeZone ?? orgTimeZone;
  applyMeetingDetails(meeting, props, orgTimeZone);

  const taken = () => conflict(`This community already has its ${annualYear} annual meeting: set its time with updateMeeting`);
  try {
    return await scope.em.transactional(async (em) => {
      await lockWritableCommunity(em, community.id);
      if (annualYear !== null) {
        const [existing] = await em.execute('select 1 from meeting where community_id = ? and annual_year = ?', [community.id, annualYear]);
        if (existing) throw taken();
      }
      em.persist(meeting);
      await replaceReminders(em, scope.services, meeting);
      await recordEvent(em, member.id, { type: 'MeetingScheduled', communityId: community.id, meetingId: meeting.id, kind: meeting.kind });
      return meeting;
    });
  } catch (error) {
    // Two staff scheduling the same year at once: the unique key decides, the loser is told like the check above.
    if (error instanceof UniqueConstraintViolationException && annualYear !== null) throw taken();
    throw error;
  }
}
