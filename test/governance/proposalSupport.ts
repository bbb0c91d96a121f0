import { ProposeCommunityDocument, type ProposeCommunityInput } from '../generated/graphql';
import { expectData, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';

let sequence = 0;

/** A complete proposeCommunity input with a fresh slug; `overrides` replaces fields. */
export function proposalInput(overrides: Partial<ProposeCommunityInput> = {}): ProposeCommunityInput {
  const n = `${Date.now().toString(36)}-${(sequence++).toString(36)}`;
  return {
    name: 'School Library Makerspaces',
    slug: `makerspaces-${n}`,
    description: 'Building and running makerspaces in school libraries.',
    topics: ['Makerspaces', 'stem'],
    statementOfNeed: 'Makerspace librarians work alone and reinvent every project.',
    plannedActivities: 'A project exchange and a termly online build session.',
    intendedImpact: 'More schools with a makerspace students actually use.',
    continuationCriteria: 'Thirty active members and twenty shared projects a year.',
    resourcesRequested: null,
    additionalStandards: [],
    standardsRationale: null,
    membershipRationale: null,
    ...overrides,
  };
}

export async function propose(server: TestServer, token: string, overrides: Partial<ProposeCommunityInput> = {}) {
  const { proposeCommunity } = expectData(await server.gql(ProposeCommunityDocument, { input: proposalInput(overrides) }, { token }));
  return { ...proposeCommunity, dbId: fromGlobalId(proposeCommunity.id)!.id };
}

/** Inserts a board meeting directly (setup for past meetings, which scheduleBoardMeeting refuses). */
export async function insertMeeting(server: TestServer, startsAt: Date): Promise<string> {
  const [row] = await server.em().execute<{ id: string }[]>('insert into board_meeting (id, starts_at) values (gen_random_uuid(), ?) returning id', [startsAt.toISOString()]);
  return row!.id;
}

/** Moves a proposal's receipt into the past (setup for timelines around past meetings). */
export async function receivedAt(server: TestServer, proposalDbId: string, at: Date): Promise<void> {
  await server.em().execute('update community_proposal set received_at = ?, created_at = ? where id = ?', [at.toISOString(), at.toISOString(), proposalDbId]);
}

export async function auditActions(server: TestServer, subjectId: string): Promise<{ action: string; actor_id: string | null; details: Record<string, unknown> }[]> {
  return server.em().execute('select action, actor_id, details from audit_entry where subject_id = ? order by created_at, id', [subjectId]);
}

export const seconds = (n: number) => new Date(Date.now() + n * 1000);
