import { GraphQLError } from 'graphql';
import { CommunityDocument, ThreadDocument } from '../generated/graphql';
import { countRows, expectData, startTestServer, type TestServer } from '../support/server';
import { CommunityRole, MembershipStatus, type BuiltMember } from '../support/factories';
import { scopeFor, type CommandScope } from '../../src/context';
import { Member } from '../../src/modules/members/member.entity';
import { NotificationPreference } from '../../src/modules/communities/membership.entity';
import { replyToThread } from '../../src/modules/discussions/commands/replyToThread';
import { joinCommunity } from '../../src/modules/communities/commands/joinCommunity';
import { approveMembership } from '../../src/modules/communities/commands/reviewMembership';
import { toGlobalId } from '../../src/shared/ids';

/*
 * Commands without an HTTP request, the way a job calls them: a scope built with scopeFor for a member, plain props
 * (database IDs), the same domain policies as the API. What they write is read back through the public API.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A job's scope: the member loaded in the job's own EntityManager, or nobody. */
async function jobScope(who: BuiltMember | null): Promise<CommandScope> {
  const em = server.em();
  const member = who ? await em.findOneOrFail(Member, { id: who.member.id }) : null;
  return scopeFor(server.app.services, member, em);
}

/** The contract code a command refused with (it throws the same AppError a resolver would). */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof GraphQLError)) throw new Error(`Expected a refusal, got ${String(error)}`);
  return error.extensions.code as string;
}

async function readThread(id: string, token: string) {
  const { thread } = expectData(await server.gql(ThreadDocument, { id, first: 50 }, { token }));
  if (!thread) throw new Error(`thread ${id} not found`);
  return thread;
}

const eventsOf = (type: string, key: string, value: string) =>
  countRows(server, `select count(*) as n from domain_event where type = ? and payload->>'${key}' = ?`, type, value);

describe('replyToThread from a job scope', () => {
  it('replies with database IDs, records PostAdded with the member as actor, and the API shows the reply', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const first = await server.factories.post(thread, author, { body: 'First' });
    const replier = await server.factories.activeMember(community);

    const post = await replyToThread(await jobScope(replier), { threadId: thread.thread.id, body: 'Sent by a job', parentPostId: null });
    const child = await replyToThread(await jobScope(replier), { threadId: thread.thread.id, body: 'A nested one', parentPostId: first.post.id });

    const read = await readThread(thread.id, author.token);
    expect(read.replyCount).toBe(3);
    const byId = new Map(read.posts.edges.map((edge) => [edge.node.id, edge.node]));
    expect(byId.get(toGlobalId('Post', post.id))).toMatchObject({ body: 'Sent by a job', author: { id: replier.id }, parent: null });
    expect(byId.get(toGlobalId('Post', child.id))).toMatchObject({ body: 'A nested one', parent: { id: first.id } });
    const [event] = await server.em().execute<{ actor_id: string; payload: Record<string, unknown> }[]>(
      `select actor_id, payload from domain_event where type = 'PostAdded' and payload->>'postId' = ?`,
      [post.id],
    );
    expect(event).toMatchObject({ actor_id: replier.member.id, payload: { threadId: thread.thread.id, communityId: community.community.id, parentPostId: null } });
  });

  it('refuses (FORBIDDEN) a member who is not ACTIVE in the community, by the same policy, and writes nothing', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author);
    const outsider = await server.factories.member();
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });

    for (const who of [outsider, pending]) {
      expect(await refusal(replyToThread(await jobScope(who), { threadId: thread.thread.id, body: 'Not allowed', parentPostId: null }))).toBe('FORBIDDEN');
    }
    const restricted = await server.factories.restrictedCommunity();
    const hidden = await server.factories.thread(restricted, await server.factories.activeMember(restricted));
    expect(await refusal(replyToThread(await jobScope(outsider), { threadId: hidden.thread.id, body: 'Not allowed', parentPostId: null }))).toBe('FORBIDDEN');
    expect(await refusal(replyToThread(await jobScope(null), { threadId: thread.thread.id, body: 'Nobody', parentPostId: null }))).toBe('UNAUTHENTICATED');

    expect((await readThread(thread.id, author.token)).replyCount).toBe(0);
    expect(await countRows(server, 'select count(*) as n from post where thread_id in (?, ?)', thread.thread.id, hidden.thread.id)).toBe(0);
    expect(await eventsOf('PostAdded', 'threadId', thread.thread.id)).toBe(0);
  });

  it('refuses (FORBIDDEN) a reply to a locked thread, as the API does', async () => {
    const community = await server.factories.community();
    const author = await server.factories.activeMember(community);
    const thread = await server.factories.thread(community, author, { locked: true });
    expect(await refusal(replyToThread(await jobScope(author), { threadId: thread.thread.id, body: 'Locked', parentPostId: null }))).toBe('FORBIDDEN');
    expect(await countRows(server, 'select count(*) as n from post where thread_id = ?', thread.thread.id)).toBe(0);
  });
});

describe('joinCommunity and approveMembership from a job scope', () => {
  it('joins an OPEN community at once; the API shows the ACTIVE membership and the member count', async () => {
    const community = await server.factories.community();
    const joiner = await server.factories.member();
    const membership = await joinCommunity(await jobScope(joiner), {
      communityId: community.community.id,
      notificationPreference: NotificationPreference.DAILY_DIGEST,
    });
    expect(membership.status).toBe(MembershipStatus.ACTIVE);
    const { community: read } = expectData(await server.gql(CommunityDocument, { slug: community.community.slug }, { token: joiner.token }));
    expect(read).toMatchObject({ memberCount: 1, viewerMembership: { status: 'ACTIVE', roles: [] } });
    expect(await eventsOf('MemberJoined', 'membershipId', membership.id)).toBe(1);
  });

  it('asks to join a RESTRICTED one; only a lead (not a plain member) approves it, through the same policy', async () => {
    const community = await server.factories.restrictedCommunity();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const plain = await server.factories.activeMember(community);
    const joiner = await server.factories.member();
    const pending = await joinCommunity(await jobScope(joiner), {
      communityId: community.community.id,
      notificationPreference: NotificationPreference.REALTIME,
    });
    expect(pending.status).toBe(MembershipStatus.PENDING);

    expect(await refusal(approveMembership(await jobScope(plain), { membershipId: pending.id }))).toBe('FORBIDDEN');
    expect(await refusal(approveMembership(await jobScope(joiner), { membershipId: pending.id }))).toBe('FORBIDDEN');
    const read = async () =>
      expectData(await server.gql(CommunityDocument, { slug: community.community.slug }, { token: joiner.token })).community?.viewerMembership;
    expect(await read()).toMatchObject({ status: 'PENDING' });
    expect(await eventsOf('MembershipApproved', 'membershipId', pending.id)).toBe(0);

    const approved = await approveMembership(await jobScope(lead), { membershipId: pending.id });
    expect(approved.status).toBe(MembershipStatus.ACTIVE);
    expect(await read()).toMatchObject({ status: 'ACTIVE' });
    expect(await eventsOf('MembershipApproved', 'membershipId', pending.id)).toBe(1);
  });

  it('refuses a job scope without a member (UNAUTHENTICATED) and writes nothing', async () => {
    const community = await server.factories.community();
    expect(
      await refusal(joinCommunity(await jobScope(null), { communityId: community.community.id, notificationPreference: NotificationPreference.REALTIME })),
    ).toBe('UNAUTHENTICATED');
    expect(await countRows(server, 'select count(*) as n from membership where community_id = ?', community.community.id)).toBe(0);
  });
});
