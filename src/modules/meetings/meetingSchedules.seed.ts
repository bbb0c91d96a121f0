import { DateTime } from 'luxon';
import { isIanaTimeZone } from '../../config';
import type { Em } from '../../db/orm';
import { ensureAnnualMeetings } from './annual/annualMeetings';
import { DEFAULT_REMINDER_MINUTES, MeetingKind, MeetingStatus } from './meeting/meeting.entity';
import { dueReminders } from './reminders/reminderSchedule';

/** The seed has no loaded config: the organisation's zone as loadConfig would read it. */
function seedTimeZone(): string {
  const zone = process.env.ORG_TIME_ZONE?.trim();
  return zone && isIanaTimeZone(zone) ? zone : 'America/Chicago';
}

async function insertReminders(em: Em, meetingId: string, startsAt: Date, now: Date): Promise<void> {
  // No jobs from the seed (it has no queue): the reminder sweep sends them when due.
  for (const reminder of dueReminders({ status: MeetingStatus.SCHEDULED, startsAt, reminderMinutesBefore: DEFAULT_REMINDER_MINUTES }, now)) {
    await em.execute('insert into meeting_reminder (id, meeting_id, minutes_before, due_at) values (gen_random_uuid(), ?, ?, ?)', [meetingId, reminder.minutesBefore, reminder.dueAt]);
  }
}

/**
 * The demo's meetings: every community's coming annual meeting (TENTATIVE), the one of Literature and Reading
 * Promotion with its time set by staff (SCHEDULED, July 9 at 15:00 in the organisation's zone), and a meetup in
 * Digital Tools five days ahead with its reminders.
 */
export async function seedMeetingSchedules(em: Em, nowMs: number): Promise<void> {
  const zone = seedTimeZone();
  const now = new Date(nowMs);
  await ensureAnnualMeetings(em, { orgTimeZone: zone, now });

  const [annual] = await em.execute<{ id: string; annual_year: number }[]>(
    "select m.id, m.annual_year from meeting m join community c on c.id = m.community_id where c.slug = 'reading-promotion' and m.kind = 'ANNUAL' order by m.annual_year limit 1",
  );
  if (annual) {
    const startsAt = DateTime.fromObject({ year: annual.annual_year, month: 7, day: 9, hour: 15 }, { zone }).toJSDate();
    await em.execute(
      `update meeting set status = '${MeetingStatus.SCHEDULED}', starts_at = ?, ends_at = ?, sort_at = ?, url = ?, venue = ?, sequence = sequence + 1, ` +
        `description = ? where id = ?`,
      [
        startsAt,
        new Date(startsAt.getTime() + 2 * 3_600_000),
        startsAt,
        'https://meet.practicehub.localhost/reading-promotion-annual',
        'Central library, conference room A (and online)',
        'Our yearly meeting: the year in review, next year’s reading programme, and electing the coordinators.',
        annual.id,
      ],
    );
    await insertReminders(em, annual.id, startsAt, now);
  }

  const [tools] = await em.execute<{ id: string; coordinator: string | null }[]>(
    "select c.id, (select ms.member_id from membership ms where ms.community_id = c.id and ms.status = 'ACTIVE' and 'MEETING_COORDINATOR' = any(ms.roles) limit 1) as coordinator " +
      "from community c where c.slug = 'digital-tools'",
  );
  if (tools) {
    const startsAt = DateTime.fromJSDate(now, { zone }).plus({ days: 5 }).set({ hour: 16, minute: 0, second: 0, millisecond: 0 }).toJSDate();
    const [meetup] = await em.execute<{ id: string }[]>(
      `insert into meeting (id, community_id, created_by_id, kind, status, title, description, starts_at, ends_at, sort_at, time_zone, url, capacity, reminder_minutes_before) ` +
        `values (gen_random_uuid(), ?, ?, '${MeetingKind.MEETUP}', '${MeetingStatus.SCHEDULED}', ?, ?, ?, ?, ?, ?, ?, ?, ?::int[]) returning id`,
      [
        tools.id,
        tools.coordinator,
        'Tool swap: the apps our libraries rely on',
        'Bring one tool you could not do without and one you gave up on. Ten minutes each, then questions.',
        startsAt,
        new Date(startsAt.getTime() + 90 * 60_000),
        startsAt,
        zone,
        'https://meet.practicehub.localhost/digital-tools-swap',
        30,
        `{${DEFAULT_REMINDER_MINUTES.join(',')}}`,
      ],
    );
    await insertReminders(em, meetup!.id, startsAt, now);
  }
}
