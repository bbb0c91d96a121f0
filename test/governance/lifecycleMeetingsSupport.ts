import { DateTime } from 'luxon';
import {
  CreateRitualDocument,
  CreateSurveyDocument,
  CreateTimePollDocument,
  MeetingCountsDocument,
  MeetingNodeDocument,
  RitualNodeDocument,
  RsvpDocument,
  ScheduleMeetingDocument,
  SurveyNodeDocument,
  TimePollNodeDocument,
} from '../generated/graphql';
import { runAnnualMeetings } from '../../src/modules/meetings/annual/annualMeetings.job';
import { countRows, expectData, type TestServer } from '../support/server';
import { dbId } from './lifecycleSupport';

export const ZONE = 'America/Chicago';
const HOUR = 3_600_000;
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
/** Next week's Monday at 09:00 in Chicago (a weekly ritual's first occurrence), as UTC ISO. */
export const nextMondayNine = () =>
  DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf('week').set({ hour: 9 }).toUTC().toISO({ suppressMilliseconds: true })!;

/** The meeting things a community runs, made through the API by an organiser (the token of a LEAD holding every role). */
export function organiser(server: TestServer, token: string) {
  return {
    meeting: async (communityId: string, overrides: Record<string, unknown> = {}) =>
      expectData(await server.gql(ScheduleMeetingDocument, { input: { communityId, kind: 'MEETUP', title: 'Tools meetup', startsAt: inHours(48), ...overrides } }, { token }))
        .scheduleMeeting,
    poll: async (communityId: string) =>
      expectData(
        await server.gql(
          CreateTimePollDocument,
          { input: { communityId, title: 'When next?', options: [48, 72].map((h) => ({ startsAt: inHours(h), durationMinutes: 60 })), closesAt: inHours(47) } },
          { token },
        ),
      ).createTimePoll,
    ritual: async (communityId: string, hostMembershipIds: string[]) =>
      expectData(
        await server.gql(
          CreateRitualDocument,
          { input: { communityId, title: 'Shelf check', prompt: 'What did you shelve?', rrule: 'FREQ=WEEKLY;BYDAY=MO', startsAt: nextMondayNine(), timeZone: ZONE, hostMembershipIds } },
          { token },
        ),
      ).createRitual,
    survey: async (communityId: string, meetingId?: string) =>
      expectData(
        await server.gql(
          CreateSurveyDocument,
          { input: { communityId, meetingId, title: 'How was it?', questions: [{ kind: 'SCALE', prompt: 'Useful?', required: true, scaleMin: 1, scaleMax: 5 }] } },
          { token },
        ),
      ).createSurvey,
  };
}

export const rsvp = async (server: TestServer, token: string, meetingId: string, status: 'GOING' | 'INTERESTED' | 'NOT_GOING' = 'GOING') =>
  expectData(await server.gql(RsvpDocument, { input: { meetingId, status } }, { token })).rsvp;

/** Gives every ACTIVE community its coming annual meeting (factories write communities directly, without one). */
export const ensureAnnual = (server: TestServer) => runAnnualMeetings(server.app.services);

export const annualOf = async (server: TestServer, communityDbId: string) =>
  server.em().execute<{ id: string; status: string; annual_year: number; sequence: number }[]>(
    "select id, status::text as status, annual_year, sequence from meeting where community_id = ? and kind = 'ANNUAL' order by annual_year",
    [communityDbId],
  );

/** Where each row of a meeting table is, by global ID. */
export async function communityOf(server: TestServer, table: 'meeting' | 'time_poll' | 'ritual' | 'survey', globalId: string): Promise<string | null> {
  const [row] = await server.em().execute<{ community_id: string }[]>(`select community_id from ${table} where id = ?`, [dbId(globalId)]);
  return row?.community_id ?? null;
}

export const movedEvents = (server: TestServer, type: string, key: string, globalId: string) =>
  server.em().execute<{ actor_id: string; community_id: string; payload: Record<string, unknown> }[]>(
    `select actor_id, community_id, payload from domain_event where type = ? and payload->>? = ? order by id`,
    [type, key, dbId(globalId)],
  );

export const unsentReminders = (server: TestServer, meetingGlobalId: string) =>
  server.em().execute<{ id: string; due_at: Date }[]>('select id, due_at from meeting_reminder where meeting_id = ? and sent_at is null order by due_at', [dbId(meetingGlobalId)]);

export const queuedReminderJobs = (server: TestServer, reminderIds: string[]) =>
  countRows(server, "select count(*) as n from pgboss.job where name = 'meetings.reminder' and state = 'created' and id = any(?::uuid[])", `{${reminderIds.join(',')}}`);

export const read = {
  meeting: async (server: TestServer, id: string, token?: string) => server.gql(MeetingNodeDocument, { id }, { token }),
  counts: async (server: TestServer, id: string, token?: string) => server.gql(MeetingCountsDocument, { id }, { token }),
  poll: async (server: TestServer, id: string, token?: string) => server.gql(TimePollNodeDocument, { id }, { token }),
  ritual: async (server: TestServer, id: string, token?: string) => server.gql(RitualNodeDocument, { id }, { token }),
  survey: async (server: TestServer, id: string, token?: string) => server.gql(SurveyNodeDocument, { id }, { token }),
};
