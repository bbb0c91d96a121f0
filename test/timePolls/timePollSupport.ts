import { AnswerTimePollDocument, CreateTimePollDocument, type TimePollAnswer } from '../generated/graphql';
import { CommunityRole } from '../support/factories';
import { countRows, expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const HOUR = 3_600_000;
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

/** A community with a meeting coordinator and three plain ACTIVE members. */
export async function pollWorld(server: TestServer, visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR]);
  const members = [await server.factories.activeMember(community), await server.factories.activeMember(community), await server.factories.activeMember(community)];
  return { community, coordinator, members, member: members[0]! };
}

/** A poll input: options at the given hours from now (an hour long), closing an hour before the first. */
export const pollInput = (communityId: string, hours: number[] = [48, 72, 96], overrides: Record<string, unknown> = {}) => ({
  communityId,
  title: 'Spring meetup',
  options: hours.map((h) => ({ startsAt: inHours(h), durationMinutes: 60 })),
  closesAt: inHours(Math.min(...hours) - 1),
  ...overrides,
});

export async function createPoll(server: TestServer, token: string, communityId: string, hours?: number[], overrides: Record<string, unknown> = {}) {
  return expectData(await server.gql(CreateTimePollDocument, { input: pollInput(communityId, hours, overrides) }, { token })).createTimePoll;
}

export async function answer(server: TestServer, token: string, pollId: string, answers: [string, TimePollAnswer][]) {
  const input = { pollId, answers: answers.map(([optionId, value]) => ({ optionId, answer: value })) };
  return expectData(await server.gql(AnswerTimePollDocument, { input }, { token })).answerTimePoll;
}

export const pollRows = (server: TestServer, communityId: string) =>
  countRows(server, 'select count(*) as n from time_poll where community_id = ?', dbId(communityId));
export const voteRows = (server: TestServer, pollId: string) => countRows(server, 'select count(*) as n from time_poll_vote where poll_id = ?', dbId(pollId));
export const eventRows = (server: TestServer, type: string, pollId: string) =>
  countRows(server, "select count(*) as n from domain_event where type = ? and payload->>'pollId' = ?", type, dbId(pollId));
