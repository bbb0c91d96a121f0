import { randomBytes } from 'node:crypto';
import {
  CreateMentoringGroupDocument,
  JoinMentoringGroupDocument,
  LeaveMentoringGroupDocument,
  MentoringGroupNodeDocument,
  MentoringGroupsDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';
import { MentoringFactories } from './factories';

let server: TestServer;
let mentoring: MentoringFactories;
beforeAll(async () => {
  server = await startTestServer();
  mentoring = new MentoringFactories(server);
});
afterAll(() => server.close());

const fieldsOf = (response: GraphQLResponse<unknown>) => [
  ...new Set(((expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors ?? []) as { field: string }[]).map((e) => e.field)),
];
const topic = (name: string) => `${name} ${randomBytes(3).toString('hex')}`;
const join = (who: BuiltMember | null, groupId: string) => server.gql(JoinMentoringGroupDocument, { groupId }, { token: who?.token });
const leave = (who: BuiltMember | null, groupId: string) => server.gql(LeaveMentoringGroupDocument, { groupId }, { token: who?.token });

async function readGroup(id: string, token: string, page: { first?: number; after?: string | null } = {}) {
  const { node } = expectData(await server.gql(MentoringGroupNodeDocument, { id, ...page }, { token }));
  if (node?.__typename !== 'MentoringGroup') throw new Error('no group');
  return node;
}

describe('createMentoringGroup', () => {
  const input = { topic: '  Graphic   Novels ', capacity: 4, description: ' Monthly ' };

  it('refuses anonymous viewers (UNAUTHENTICATED) and members without a mentor profile (FORBIDDEN)', async () => {
    expectError(await server.gql(CreateMentoringGroupDocument, { input }), 'UNAUTHENTICATED');
    const member = await server.factories.member();
    expectError(await server.gql(CreateMentoringGroupDocument, { input }, { token: member.token }), 'FORBIDDEN');
  });

  it.each([
    ['capacity 0', { capacity: 0 }, 'capacity'],
    ['capacity 51', { capacity: 51 }, 'capacity'],
    ['a blank topic', { topic: '  ' }, 'topic'],
    ['a topic of 61 characters', { topic: 't'.repeat(61) }, 'topic'],
    ['a description over 2,000 characters', { description: 'd'.repeat(2001) }, 'description'],
  ])('refuses %s as BAD_USER_INPUT', async (_name, change, field) => {
    const mentor = await mentoring.mentor();
    expect(fieldsOf(await server.gql(CreateMentoringGroupDocument, { input: { ...input, ...change } }, { token: mentor.token }))).toEqual([field]);
  });

  it('opens an empty group on a normalised topic, led by the mentor', async () => {
    const mentor = await mentoring.mentor();
    const group = expectData(await server.gql(CreateMentoringGroupDocument, { input }, { token: mentor.token })).createMentoringGroup;
    expect(group).toMatchObject({ topic: 'graphic novels', capacity: 4, description: 'Monthly', memberCount: 0, viewerIsMember: false, mentor: { id: mentor.id } });
  });
});

describe('joinMentoringGroup and leaveMentoringGroup', () => {
  it('refuses anonymous viewers, malformed and unknown IDs, and the group’s own mentor', async () => {
    const mentor = await mentoring.mentor();
    const { id } = await mentoring.group(mentor);
    expectError(await join(null, id), 'UNAUTHENTICATED');
    expectError(await leave(null, id), 'UNAUTHENTICATED');
    const member = await server.factories.member();
    expect(fieldsOf(await join(member, member.id))).toEqual(['groupId']);
    expectError(await join(member, toGlobalId('MentoringGroup', '00000000-0000-4000-8000-000000000000')), 'NOT_FOUND');
    expectError(await join(mentor, id), 'FORBIDDEN');
    expect((await readGroup(id, member.token)).memberCount).toBe(0);
  });

  it('joins while there is room, idempotently, lists members in order of joining, and leaving frees the place', async () => {
    const mentor = await mentoring.mentor();
    const { id } = await mentoring.group(mentor, { capacity: 2 });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => server.factories.member()));
    expect(expectData(await join(a!, id)).joinMentoringGroup).toMatchObject({ memberCount: 1, viewerIsMember: true });
    expect(expectData(await join(a!, id)).joinMentoringGroup).toMatchObject({ memberCount: 1, viewerIsMember: true });
    expectData(await join(b!, id));
    const full = expectError(await join(c!, id), 'CONFLICT');
    expect(full.message).toMatch(/full/);
    const group = await readGroup(id, c!.token);
    expect(group).toMatchObject({ memberCount: 2, viewerIsMember: false });
    expect(group.members.edges.map((e) => e.node.id)).toEqual([a!.id, b!.id]);
    expect(group.members.totalCount).toBe(2);
    const firstPage = await readGroup(id, c!.token, { first: 1 });
    expect(firstPage.members.pageInfo.hasNextPage).toBe(true);
    const secondPage = await readGroup(id, c!.token, { first: 1, after: firstPage.members.pageInfo.endCursor });
    expect(secondPage.members.edges.map((e) => e.node.id)).toEqual([b!.id]);

    expect(expectData(await leave(a!, id)).leaveMentoringGroup).toMatchObject({ memberCount: 1, viewerIsMember: false });
    expect(expectData(await leave(a!, id)).leaveMentoringGroup).toMatchObject({ memberCount: 1 });
    expect(expectData(await join(c!, id)).joinMentoringGroup).toMatchObject({ memberCount: 2, viewerIsMember: true });
  });

  it('never passes capacity when many join at once', async () => {
    const mentor = await mentoring.mentor();
    const { id } = await mentoring.group(mentor, { capacity: 3 });
    const members = await Promise.all(Array.from({ length: 8 }, () => server.factories.member()));
    const responses = await Promise.all(members.map((m) => join(m, id)));
    expect(responses.filter((r) => r.data?.joinMentoringGroup).length).toBe(3);
    for (const r of responses.filter((r) => !r.data?.joinMentoringGroup)) expectError(r, 'CONFLICT');
    const group = await readGroup(id, mentor.token);
    expect(group.memberCount).toBe(3);
    expect(group.members.totalCount).toBe(3);
    const [rows] = await server.em().execute<{ n: number }[]>(
      'select count(*)::int as n from mentoring_group_member where group_id = ?',
      [Buffer.from(id, 'base64url').toString('utf8').split(':')[1]],
    );
    expect(rows!.n).toBe(3);
  });
});

describe('mentoringGroups and node(id)', () => {
  it('lists groups newest first to signed-in members, filtered by normalised topic and paged', async () => {
    const mentor = await mentoring.mentor();
    const subject = topic('book clubs');
    const older = await mentoring.group(mentor, { topic: subject });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await mentoring.group(mentor, { topic: subject });
    await mentoring.group(mentor, { topic: topic('other') });
    const viewer = await server.factories.member();
    const { mentoringGroups } = expectData(
      await server.gql(MentoringGroupsDocument, { topic: ` ${subject.toUpperCase()} ` }, { token: viewer.token }),
    );
    expect(mentoringGroups.totalCount).toBe(2);
    expect(mentoringGroups.edges.map((e) => e.node.id)).toEqual([newer.id, older.id]);
    expect(mentoringGroups.edges[0]!.node.mentor.id).toBe(mentor.id);
    const page = expectData(await server.gql(MentoringGroupsDocument, { topic: subject, first: 1 }, { token: viewer.token })).mentoringGroups;
    const next = expectData(
      await server.gql(MentoringGroupsDocument, { topic: subject, first: 1, after: page.pageInfo.endCursor }, { token: viewer.token }),
    ).mentoringGroups;
    expect([...page.edges, ...next.edges].map((e) => e.node.id)).toEqual([newer.id, older.id]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const all = expectData(await server.gql(MentoringGroupsDocument, {}, { token: viewer.token })).mentoringGroups;
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    expect(fieldsOf(await server.gql(MentoringGroupsDocument, { first: 0 }, { token: viewer.token }))).toEqual(['first']);
  });

  it('asks anonymous readers to sign in, on the list and on node(id)', async () => {
    const mentor = await mentoring.mentor();
    const { id } = await mentoring.group(mentor);
    expectError(await server.gql(MentoringGroupsDocument, {}), 'UNAUTHENTICATED');
    const node = await server.gql(MentoringGroupNodeDocument, { id });
    expectError(node, 'UNAUTHENTICATED');
    expect(node.data?.node).toBeNull();
  });
});
