import { LeaveCommunityDocument, ReplyToThreadDocument, ShareResourceDocument, StartThreadDocument, UpdateMembershipDocument } from '../generated/graphql';
import type { NotificationPreference } from '../generated/graphql';
import { expectData, type TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import type { Community } from '../../src/modules/communities/community.entity';

type CommunityRef = { community: Community; id: string };

/**
 * Digest test data through the real mutations: members set their preference with updateMembership, content is
 * made with startThread, replyToThread and shareResource.
 */
export function digestWorld(server: TestServer) {
  const world = {
    async member(communities: [CommunityRef, NotificationPreference][]): Promise<BuiltMember> {
      const member = await server.factories.member();
      for (const [community, preference] of communities) await world.join(member, community, preference);
      return member;
    },
    async join(member: BuiltMember, community: CommunityRef, preference: NotificationPreference) {
      await server.factories.membership(member, community);
      expectData(await server.gql(UpdateMembershipDocument, { input: { communityId: community.id, notificationPreference: preference } }, { token: member.token }));
    },
    async leave(member: BuiltMember, community: CommunityRef) {
      expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: member.token }));
    },
    async thread(author: BuiltMember, community: CommunityRef, title: string) {
      const { startThread } = expectData(
        await server.gql(StartThreadDocument, { input: { communityId: community.id, title, body: `About ${title}` } }, { token: author.token }),
      );
      return startThread;
    },
    async reply(author: BuiltMember, threadId: string, body = 'Good point') {
      return expectData(await server.gql(ReplyToThreadDocument, { input: { threadId, body } }, { token: author.token })).replyToThread;
    },
    async share(author: BuiltMember, community: CommunityRef, title: string, url: string) {
      return expectData(await server.gql(ShareResourceDocument, { input: { communityId: community.id, title, url } }, { token: author.token })).shareResource;
    },
    /** A fresh period for the next run (each test's runs claim their own), as if the schedule had not fired yet. */
    async newPeriod() {
      await server.em().execute('delete from scheduled_run');
    },
    async deliveries(member: BuiltMember) {
      const rows = await server
        .em()
        .execute<{ period_key: string; mailed: boolean; covered_from: string; covered_until: string }[]>(
          'select period_key, mailed, covered_from, covered_until from digest_delivery where member_id = ? order by covered_until',
          [member.member.id],
        );
      return rows.map((row) => ({ ...row, covered_from: new Date(row.covered_from), covered_until: new Date(row.covered_until) }));
    },
  };
  return world;
}

/** Environment for digest tests: a schedule that never fires during a test run (digests are run explicitly). */
export const DIGEST_TEST_ENV = { DIGEST_DAILY_CRON: '0 0 1 1 *', DIGEST_WEEKLY_CRON: '0 0 1 1 *', PUBLIC_URL: 'https://hub.example.org' };
