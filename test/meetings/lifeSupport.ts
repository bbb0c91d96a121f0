import { DateTime } from 'luxon';
import { ScheduleMeetingDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { countRows, expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const ZONE = 'America/Chicago';
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
/** A local time in Chicago in that year's July, as UTC ISO. */
export const julyAt = (year: number, day: number, hour = 10) => DateTime.fromObject({ year, month: 7, day, hour }, { zone: ZONE }).toUTC().toISO()!;

export async function meetingWorld(server: TestServer, visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  const member = await server.factories.activeMember(community);
  return { community, coordinator, member };
}

export const meetupInput = (communityId: string, overrides: Record<string, unknown> = {}) => ({
  communityId,
  kind: 'MEETUP' as const,
  title: 'Spring tools meetup',
  startsAt: inHours(48),
  ...overrides,
});

export async function scheduleMeetup(server: TestServer, communityId: string, token: string, overrides: Record<string, unknown> = {}) {
  return expectData(await server.gql(ScheduleMeetingDocument, { input: meetupInput(communityId, overrides) }, { token })).scheduleMeeting;
}

/** An answer written directly (the RSVP mutation is another part's): `status` GOING, INTERESTED, NOT_GOING or WAITLISTED. */
export async function answer(server: TestServer, meetingId: string, memberDbId: string, status: string): Promise<void> {
  await server.em().execute('insert into meeting_rsvp (id, meeting_id, member_id, status) values (gen_random_uuid(), ?, ?, ?)', [dbId(meetingId), memberDbId, status]);
}

export interface ReminderRow {
  id: string;
  minutes_before: number;
  due_at: Date;
  sent_at: Date | null;
}

export async function remindersOf(server: TestServer, meetingId: string): Promise<ReminderRow[]> {
  const rows = await server.em().execute<ReminderRow[]>('select id, minutes_before, due_at, sent_at from meeting_reminder where meeting_id = ? order by minutes_before desc, due_at', [dbId(meetingId)]);
  return rows.map((row) => ({ ...row, due_at: new Date(row.due_at), sent_at: row.sent_at ? new Date(row.sent_at) : null }));
}

export const eventsOf = (server: TestServer, type: string, meetingId: string) =>
  server.em().execute<{ id: string; payload: Record<string, unknown>; actor_id: string | null }[]>(
    "select id::text, payload, actor_id from domain_event where type = ? and payload->>'meetingId' = ? order by id",
    [type, dbId(meetingId)],
  );

export const notificationsAbout = (server: TestServer, meetingId: string, kind: string) =>
  server.em().execute<{ recipient_id: string; title: string; event_id: string | null }[]>(
    "select recipient_id, title, event_id::text from notification where subject_type = 'Meeting' and subject_id = ? and kind = ? order by recipient_id",
    [dbId(meetingId), kind],
  );

export const annualMeetingsOf = (server: TestServer, communityDbId: string) =>
  server.em().execute<{ id: string; annual_year: number; status: string; title: string; starts_at: Date | null; created_by_id: string | null }[]>(
    "select id, annual_year, status::text as status, title, starts_at, created_by_id from meeting where community_id = ? and kind = 'ANNUAL' order by annual_year",
    [communityDbId],
  );

export async function meetingRow(server: TestServer, meetingId: string) {
  const [row] = await server.em().execute<{ status: string; sequence: number; title: string; starts_at: string | null; cancelled_at: string | null }[]>(
    'select status::text as status, sequence, title, starts_at, cancelled_at from meeting where id = ?',
    [dbId(meetingId)],
  );
  return { ...row!, starts_at: row!.starts_at ? new Date(row!.starts_at) : null, cancelled_at: row!.cancelled_at ? new Date(row!.cancelled_at) : null };
}

export const countOf = countRows;

/** Waits until every email job that is due now has run (delayed WHEN_AWAY emails are not waited for). */
export async function dueEmailsSent(server: TestServer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await server.em().execute<{ n: string }[]>(
      "select count(*) as n from pgboss.job where name = 'notifications.email' and (state = 'active' or (state in ('created', 'retry') and start_after <= now()))",
    );
    if (Number(row!.n) === 0) return;
    if (Date.now() > deadline) throw new Error('Due emails not sent in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
