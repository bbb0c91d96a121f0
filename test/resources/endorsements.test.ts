import { EndorseResourceDocument, ResourceNodeDocument } from '../generated/graphql';
import { expectData, expectError, startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { MembershipStatus } from '../support/factories';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const endorse = (resourceId: string, token?: string) => server.gql(EndorseResourceDocument, { resourceId }, { token });

async function world(visibility: 'OPEN' | 'RESTRICTED' = 'OPEN') {
  const community = visibility === 'OPEN' ? await server.factories.community() : await server.factories.restrictedCommunity();
  const sharer = await server.factories.activeMember(community);
  const resource = await server.factories.resource(community, sharer);
  return { community, sharer, resource };
}

/** The stored count and the rows it must agree with. */
async function stored(resourceId: string) {
  const [row] = await server.em().execute<{ stored: number; actual: string }[]>(
    'select endorsement_count as stored, (select count(*) from resource_endorsement e where e.resource_id = r.id) as actual from resource r where id = ?',
    [resourceId],
  );
  return { stored: Number(row!.stored), actual: Number(row!.actual) };
}

async function seen(resourceId: string, token?: string) {
  const { node } = expectData(await server.gql(ResourceNodeDocument, { id: resourceId }, { token }));
  if (node?.__typename !== 'Resource') throw new Error('resource not found');
  return { endorsementCount: node.endorsementCount, viewerEndorsed: node.viewerEndorsed };
}

describe('endorseResource', () => {
  it('refuses anonymous viewers (UNAUTHENTICATED) and non-ACTIVE members (FORBIDDEN)', async () => {
    const { community, resource } = await world();
    expectError(await endorse(resource.id), 'UNAUTHENTICATED');
    const stranger = await server.factories.member();
    expectError(await endorse(resource.id, stranger.token), 'FORBIDDEN');
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    expectError(await endorse(resource.id, pending.token), 'FORBIDDEN');
    expect(await stored(resource.resource.id)).toEqual({ stored: 0, actual: 0 });
  });

  it('is FORBIDDEN to non-members of a RESTRICTED community, staff included (reading is not writing)', async () => {
    const { resource } = await world('RESTRICTED');
    expectError(await endorse(resource.id, (await server.factories.member()).token), 'FORBIDDEN');
    expectError(await endorse(resource.id, (await server.factories.staff()).token), 'FORBIDDEN');
    expect(await stored(resource.resource.id)).toEqual({ stored: 0, actual: 0 });
  });

  it('is NOT_FOUND for a removed or unknown resource, BAD_USER_INPUT for a wrong ID', async () => {
    const { community, sharer } = await world();
    const removed = await server.factories.resource(community, sharer, { removedAt: new Date() });
    expectError(await endorse(removed.id, sharer.token), 'NOT_FOUND');
    expectError(await endorse(toGlobalId('Resource', '00000000-0000-4000-8000-000000000000'), sharer.token), 'NOT_FOUND');
    const wrong = await endorse(toGlobalId('Post', '00000000-0000-4000-8000-000000000000'), sharer.token);
    expect(expectError(wrong, 'BAD_USER_INPUT').extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'resourceId' })]);
  });

  it('toggles: endorse, un-endorse, endorse again', async () => {
    const { community, resource } = await world();
    const member = await server.factories.activeMember(community);
    expect(expectData(await endorse(resource.id, member.token)).endorseResource).toEqual({ id: resource.id, endorsementCount: 1, viewerEndorsed: true });
    expect(expectData(await endorse(resource.id, member.token)).endorseResource).toEqual({ id: resource.id, endorsementCount: 0, viewerEndorsed: false });
    expect(expectData(await endorse(resource.id, member.token)).endorseResource).toMatchObject({ endorsementCount: 1, viewerEndorsed: true });
    expect(await stored(resource.resource.id)).toEqual({ stored: 1, actual: 1 });
  });

  it('counts members separately and tells each viewer whether they endorsed it', async () => {
    const { community, sharer, resource } = await world();
    const [alice, bob] = await Promise.all([server.factories.activeMember(community), server.factories.activeMember(community)]);
    expectData(await endorse(resource.id, alice!.token));
    expectData(await endorse(resource.id, bob!.token));
    expect(await seen(resource.id, alice!.token)).toEqual({ endorsementCount: 2, viewerEndorsed: true });
    expect(await seen(resource.id, sharer.token)).toEqual({ endorsementCount: 2, viewerEndorsed: false });
    expect(await seen(resource.id)).toEqual({ endorsementCount: 2, viewerEndorsed: false });
  });

  it('keeps the count exact when many members endorse at once', async () => {
    const { community, resource } = await world();
    const members = await Promise.all(Array.from({ length: 12 }, () => server.factories.activeMember(community)));
    const responses = await Promise.all(members.map((m) => endorse(resource.id, m.token)));
    responses.forEach((r) => expectData(r));
    expect(await stored(resource.resource.id)).toEqual({ stored: 12, actual: 12 });
    // And all un-endorse at once: back to zero, never below.
    (await Promise.all(members.map((m) => endorse(resource.id, m.token)))).forEach((r) => expectData(r));
    expect(await stored(resource.resource.id)).toEqual({ stored: 0, actual: 0 });
  });

  it('never duplicates or goes negative when one member toggles concurrently', async () => {
    const { community, resource } = await world();
    const member = await server.factories.activeMember(community);
    for (const parallel of [2, 3, 8]) {
      const responses: GraphQLResponse<unknown>[] = await Promise.all(Array.from({ length: parallel }, () => endorse(resource.id, member.token)));
      responses.forEach((r) => expectData(r));
      const { stored: count, actual } = await stored(resource.resource.id);
      expect(count).toBe(actual);
      expect([0, 1]).toContain(actual);
      // Toggles serialise on the row lock, so an odd number of them flips the state, an even number restores it.
      const expected = (await seen(resource.id, member.token)).viewerEndorsed ? 1 : 0;
      expect(actual).toBe(expected);
    }
    const final = await stored(resource.resource.id);
    expect(final.actual).toBe((2 + 3 + 8) % 2);
  });
});
