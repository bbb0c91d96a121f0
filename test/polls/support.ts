import { StartThreadWithPollDocument } from '../generated/graphql';
import type { BuiltMember } from '../support/factories';
import { expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

export const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export interface PollOptions {
  options?: string[];
  multiple?: boolean;
  anonymous?: boolean;
  closesAt?: string | null;
}

/** A community (OPEN unless asked), its thread author and a voter, and a thread opened with a poll through the API. */
export async function pollWorld(server: TestServer, options: PollOptions & { visibility?: 'OPEN' | 'RESTRICTED' } = {}) {
  const community = await server.factories.community({ visibility: (options.visibility ?? 'OPEN') as never });
  const author = await server.factories.activeMember(community);
  const voter = await server.factories.activeMember(community);
  const started = await startPoll(server, community.id, author, options);
  return { community, author, voter, ...started };
}

export async function startPoll(server: TestServer, communityId: string, author: BuiltMember, options: PollOptions = {}) {
  const input = {
    communityId,
    title: 'Shelving graphic novels',
    body: 'Vote below',
    poll: {
      question: 'Where do they go?',
      options: options.options ?? ['Own section', 'Interfiled', 'Both'],
      multiple: options.multiple ?? false,
      anonymous: options.anonymous ?? false,
      closesAt: options.closesAt === undefined ? inMinutes(60) : options.closesAt,
    },
  };
  const { startThread } = expectData(await server.gql(StartThreadWithPollDocument, { input }, { token: author.token }));
  const poll = startThread.poll!;
  return { threadId: startThread.id, poll, optionIds: poll.options.map((o) => o.id) };
}

export async function ballotCount(server: TestServer, pollId: string): Promise<number> {
  const [row] = await server.em().execute<{ n: string }[]>('select count(*) as n from poll_ballot where poll_id = ?', [dbId(pollId)]);
  return Number(row!.n);
}

export async function pollVotedEvents(server: TestServer, pollId: string) {
  return server.em().execute<{ actor_id: string | null; payload: Record<string, unknown> }[]>(
    "select actor_id, payload from domain_event where type = 'PollVoted' and payload->>'pollId' = ? order by id",
    [dbId(pollId)],
  );
}
