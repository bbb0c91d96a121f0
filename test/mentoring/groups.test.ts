import { randomBytes } from 'node:crypto';
import {
  CloseMentoringGroupDocument,
  CreateMentoringGroupDocument,
  UpdateMentoringGroupDocument,
  JoinMentoringGroupDocument,
  LeaveMentoringGroupDocument,
  MentoringGroupNodeDocument,
  MentoringGroupsDocument,
} from '../generated/graphql';
import { expectData, expectError, startTestServer, type TestServer, distinctBadInputFields as fieldsOf } from '../support/server';
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

describe('updateMentoringGroup and closeMentoringGroup', () => {
  const update = (who: BuiltMember | null, input: { groupId: string; capacity?: number | null; description?: string | null }) =>
    server.gql(UpdateMentoringGroupDocument, { input }, { token: who?.token });
  const close = (who: BuiltMember | null, groupId: string) => server.gql(CloseMentoringGroupDocument, { groupId }, { token: who?.token });

  it('refuses anonymous viewers (UNAUTHENTICATED), members and staff (FORBIDDEN) an update; bad input is BAD_USER_INPUT', async () => {
    const mentor = await mentoring.mentor();
    const { id } = await mentoring.group(mentor, { capacity: 4 });
    expectError(await update(null, { groupId: id, capacity: 6 }), 'UNAUTHENTICATED');
    expectError(await update(await server.factories.member(), { groupId: id, capacity: 6 }), 'FORBIDDEN');
    expectError(await update(await server.factories.staff(), { groupId: id, capacity: 6 }), 'FORBIDDEN');
    expect(fieldsOf(await update(mentor, { groupId: id, capacity: 0 }))).toEqual(['capacity']);
    expect(fieldsOf(await update(mentor, { groupId: id, capacity: 51 }))).toEqual(['capacity']);
    expect(fieldsOf(await update(mentor, { groupId: id, description: 'd'.repeat(2001) }))).toEqual(['description']);
    expect(fieldsOf(await update(mentor, { groupId: mentor.id, capacity: 6 }))).toEqual(['groupId']);
    expectError(await update(mentor, { groupId: toGlobalId('MentoringGroup', '00000000-0000-4000-8000-000000000000'), capacity: 6 }), 'NOT_FOUND');
    expect(await readGroup(id, mentor.token)).toMatchObject({ capacity: 4, description: null });
  });

  it('changes capacity (never below its members: CONFLICT) and description, leaving out what is not given', async () => {
    const mentor = await mentoring.mentor();
    const members = [await server.factories.member(), await server.factories.member(), await server.factories.member()];
    const { id } = await mentoring.group(mentor, { capacity: 5, members });
    const refused = expectError(await update(mentor, { groupId: id, capacity: 2 }), 'CONFLICT');
    expect(refused.message).toMatch(/has 3 members/);
    expect(expectData(await update(mentor, { groupId: id, capacity: 3, description: '  Fridays  ' })).updateMentoringGroup).toMatchObject({
      capacity: 3,
      description: 'Fridays',
      memberCount: 3,
    });
    expect(expectData(await update(mentor, { groupId: id, capacity: 8 })).updateMentoringGroup).toMatchObject({ capacity: 8, description: 'Fridays' });
    expect(expectData(await update(mentor, { groupId: id, description: ' ' })).updateMentoringGroup).toMatchObject({ capacity: 8, description: null });
  });

  it('never leaves a group over capacity when members join while the mentor lowers it', async () => {
    for (let round = 0; round < 4; round++) {
      const mentor = await mentoring.mentor();
      const { id } = await mentoring.group(mentor, { capacity: 6, members: [await server.factories.member()] });
      const joiners = await Promise.all([1, 2, 3].map(() => server.factories.member()));
      await Promise.all([update(mentor, { groupId: id, capacity: 2 }), ...joiners.map((who) => join(who, id))]);
      const group = await readGroup(id, mentor.token);
      expect(group.memberCount).toBeLessThanOrEqual(group.capacity);
      expect(group.members.totalCount).toBe(group.memberCount);
    }
    expect(server.unexpectedErrors).toEqual([]);
  });

  it('closes a group by its mentor or staff (not by members or anonymous), keeping members and refusing new ones', async () => {
    const mentor = await mentoring.mentor();
    const inside = await server.factories.member();
    const { id } = await mentoring.group(mentor, { members: [inside] });
    expectError(await close(null, id), 'UNAUTHENTICATED');
    expectError(await close(inside, id), 'FORBIDDEN');
    expect((await readGroup(id, mentor.token)).status).toBe('OPEN');

    const closed = expectData(await close(mentor, id)).closeMentoringGroup;
    expect(closed).toMatchObject({ status: 'CLOSED', memberCount: 1 });
    expect(closed.closedAt).not.toBeNull();
    expect(expectData(await close(mentor, id)).closeMentoringGroup.closedAt).toBe(closed.closedAt); // changes nothing
    expect(expectError(await join(await server.factories.member(), id), 'CONFLICT').message).toMatch(/closed/);
    expect(expectData(await join(inside, id)).joinMentoringGroup.memberCount).toBe(1); // already in: unchanged
    expect(expectData(await leave(inside, id)).leaveMentoringGroup.memberCount).toBe(0);

    const other = await mentoring.group(mentor);
    expect(expectData(await close(await server.factories.staff(), other.id)).closeMentoringGroup.status).toBe('CLOSED');
  });

  it('lists groups by status', async () => {
    const mentor = await mentoring.mentor();
    const subject = topic('status');
    const open = await mentoring.group(mentor, { topic: subject });
    const shut = await mentoring.group(mentor, { topic: subject });
    expectData(await close(mentor, shut.id));
    const list = async (status?: 'OPEN' | 'CLOSED') =>
      expectData(await server.gql(MentoringGroupsDocument, { topic: subject, status }, { token: mentor.token })).mentoringGroups;
    expect((await list()).edges.map((e) => e.node.id)).toEqual([shut.id, open.id]);
    const onlyOpen = await list('OPEN');
    expect(onlyOpen.edges.map((e) => e.node.id)).toEqual([open.id]);
    expect(onlyOpen.totalCount).toBe(1);
    expect((await list('CLOSED')).edges.map((e) => e.node.id)).toEqual([shut.id]);
  });
});
