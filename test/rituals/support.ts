import { DateTime } from 'luxon';
import { CreateRitualDocument, type CreateRitualInput } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { countRows, expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
/** A wall time in a zone, as a UTC ISO string. */
export const localTime = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toUTC().toISO()!;
export const inZone = (iso: string | null | undefined, zone: string) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('ccc yyyy-MM-dd HH:mm') : null);

/** An OPEN (or RESTRICTED) community with a discussion monitor, a LEAD, two plain members and an outsider. */
export async function ritualWorld(server: TestServer, visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const monitor = await server.factories.activeMember(community, [CommunityRole.DISCUSSION_MONITOR]);
  const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
  const member = await server.factories.activeMember(community);
  const other = await server.factories.activeMember(community);
  const outsider = await server.factories.member();
  return { community, monitor, lead, member, other, outsider };
}

export const ritualInput = (communityId: string, hostMembershipIds: string[], overrides: Partial<CreateRitualInput> = {}): CreateRitualInput => ({
  communityId,
  title: 'Shelf check',
  prompt: 'Which book could you not keep on the shelf this week?',
  rrule: 'FREQ=WEEKLY;BYDAY=MO',
  startsAt: localTime('2027-03-08T09:00', 'America/Chicago'),
  timeZone: 'America/Chicago',
  hostMembershipIds,
  ...overrides,
});

export async function createRitual(server: TestServer, token: string, input: CreateRitualInput) {
  return expectData(await server.gql(CreateRitualDocument, { input }, { token })).createRitual;
}

export const ritualsIn = (server: TestServer, communityId: string) => countRows(server, 'select count(*) as n from ritual where community_id = ?', dbId(communityId));
export const eventsOf = (server: TestServer, type: string, ritualId: string) =>
  countRows(server, `select count(*) as n from domain_event where type = ? and payload->>'ritualId' = ?`, type, dbId(ritualId));
