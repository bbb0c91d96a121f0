import { ScheduleMeetingDocument } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { countRows, expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const HOUR = 3_600_000;
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

type CommunityRef = Awaited<ReturnType<TestServer['factories']['community']>>;

/** A community (OPEN or RESTRICTED) with a meeting coordinator, and helpers for its meetings through the API. */
export async function meetingWorld(server: TestServer, visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community: CommunityRef = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  return {
    community,
    coordinator,
    /** Scheduled by the coordinator, two days ahead unless told otherwise. */
    async meeting(overrides: Record<string, unknown> = {}) {
      const input = { communityId: community.id, kind: 'MEETUP' as const, title: 'Spring tools meetup', startsAt: inHours(48), ...overrides };
      return expectData(await server.gql(ScheduleMeetingDocument, { input }, { token: coordinator.token })).scheduleMeeting;
    },
    members: (count: number) => Promise.all(Array.from({ length: count }, () => server.factories.activeMember(community))),
  };
}

/** Moves a meeting so that it started `hoursAgo` hours ago (an hour long). */
export async function startedAgo(server: TestServer, meetingId: string, hoursAgo = 2) {
  await server
    .em()
    .execute(
      `update meeting set starts_at = now() - make_interval(mins => ?), ends_at = now() - make_interval(mins => ?), sort_at = now() - make_interval(mins => ?) where id = ?`,
      [hoursAgo * 60, hoursAgo * 60 - 60, hoursAgo * 60, dbId(meetingId)],
    );
}

export const answersOf = (server: TestServer, meetingId: string) =>
  server
    .em()
    .execute<{ member_id: string; status: string; answered_at: Date }[]>(
      'select member_id, status::text as status, answered_at from meeting_rsvp where meeting_id = ? order by answered_at, id',
      [dbId(meetingId)],
    );

export const eventCount = (server: TestServer, type: string, meetingId: string) =>
  countRows(server, "select count(*) as n from domain_event where type = ? and payload->>'meetingId' = ?", type, dbId(meetingId));
