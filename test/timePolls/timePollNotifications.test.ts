import { DateTime } from 'luxon';
import { InboxDocument } from '../generated/graphql';
import { MembershipStatus } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, jobsDone, notificationsOf } from '../notifications/support';
import { pollOpenedTitle } from '../../src/modules/meetings/timePolls/timePollTitles';
import { createPoll, dbId, pollWorld } from './timePollSupport';

let server: TestServer;
let sent: ReturnType<typeof captureMail>;
beforeAll(async () => {
  server = await startTestServer({ ORG_TIME_ZONE: 'America/Chicago' });
  sent = captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).setLocale('en-GB').toFormat('ccc d LLL HH:mm');
const setZone = (memberId: string, zone: string | null) => server.em().execute('update member set time_zone = ? where id = ?', [zone, memberId]);

describe('TIME_POLL_OPENED', () => {
  it("tells the community's real-time members of a new poll, each with the times in their own zone, by notification and email", async () => {
    const { community, coordinator, members } = await pollWorld(server);
    const [paris, tokyo, noZone] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    await setZone(paris.member.id, 'Europe/Paris');
    await setZone(tokyo.member.id, 'Asia/Tokyo');
    const digest = await server.factories.activeMember(community);
    await server.em().execute("update membership set notification_preference = 'DAILY_DIGEST' where member_id = ?", [digest.member.id]);
    const silent = await server.factories.activeMember(community);
    await server.em().execute("update membership set notification_preference = 'NONE' where member_id = ?", [silent.member.id]);
    const pending = await server.factories.member();
    await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const outsider = await server.factories.member();

    const poll = await createPoll(server, coordinator.token, community.id, [30, 54, 78, 102], { timeZone: 'America/New_York', title: 'Tools workshop' });
    await fanOutAll(server);
    const [{ id: eventId }] = (await server.em().execute<{ id: string }[]>("select id::text from domain_event where type = 'TimePollCreated' and payload->>'pollId' = ?", [dbId(poll.id)])) as [{ id: string }];
    const rows = await notificationsOf(server, eventId);
    // Not the creator, digest or NONE members, pending members or outsiders.
    expect(rows.map((r) => r.recipient_id).sort()).toEqual([paris, tokyo, noZone].map((m) => m.member.id).sort());
    expect(new Set(rows.map((r) => `${r.kind}:${r.subject_type}:${r.subject_id}`))).toEqual(new Set([`TIME_POLL_OPENED:TimePoll:${dbId(poll.id)}`]));
    const titleOf = (memberId: string) => rows.find((r) => r.recipient_id === memberId)!.title;
    const first = poll.options[0]!.startsAt;
    expect(titleOf(paris.member.id)).toContain(local(first, 'Europe/Paris'));
    expect(titleOf(paris.member.id)).toMatch(/\(Europe\/Paris time\)$/);
    expect(titleOf(tokyo.member.id)).toContain(local(first, 'Asia/Tokyo'));
    // No zone of their own: the poll's.
    expect(titleOf(noZone.member.id)).toContain(local(first, 'America/New_York'));
    expect(titleOf(noZone.member.id)).toMatch(/\(America\/New_York time\)$/);
    expect(titleOf(paris.member.id)).toMatch(/“Tools workshop”: .*, .*, .* and 1 more\. Answer by /);
    expect(titleOf(paris.member.id)).toContain(`Answer by ${local(poll.closesAt, 'Europe/Paris')} (`);
    expect(local(first, 'Europe/Paris')).not.toBe(local(first, 'Asia/Tokyo'));

    // Community mail for real-time members: each email shows that member's times.
    await jobsDone(server, 'notifications.email');
    const mailTo = (email: string) => sent.filter((m) => m.to === email && m.category === 'community:TIME_POLL_OPENED');
    expect(mailTo(tokyo.email)).toHaveLength(1);
    expect(mailTo(tokyo.email)[0]!.text).toContain(local(first, 'Asia/Tokyo'));
    for (const who of [digest, silent, pending, outsider, coordinator]) expect(mailTo(who.email)).toHaveLength(0);

    // The inbox links to the poll, read through its own rule.
    const inbox = expectData(await server.gql(InboxDocument, {}, { token: paris.token })).viewer!.notifications.edges;
    expect(inbox.find((e) => e.node.kind === 'TIME_POLL_OPENED')?.node.subject).toEqual({ __typename: 'TimePoll', id: poll.id });
  });

  it('hides the notification of a RESTRICTED community from a member who left', async () => {
    const { community, coordinator, member } = await pollWorld(server, 'RESTRICTED');
    await createPoll(server, coordinator.token, community.id);
    await fanOutAll(server);
    const kinds = async () => expectData(await server.gql(InboxDocument, {}, { token: member.token })).viewer!.notifications.edges.map((e) => e.node.kind);
    expect(await kinds()).toContain('TIME_POLL_OPENED');
    await server.em().execute("update membership set status = 'LEFT' where member_id = ? and community_id = ?", [member.member.id, dbId(community.id)]);
    expect(await kinds()).not.toContain('TIME_POLL_OPENED');
  });

  it('writes titles in the reader\'s zone, across a daylight-saving change (pure)', () => {
    // 2030-03-10 is the US change: 15:00 UTC is 10:00 (CDT) the day after, 09:00 (CST) the day before.
    const poll = { actor: 'Ben', community: 'Digital Tools', title: 'Show and tell', startsAt: [new Date('2030-03-09T15:00:00Z'), new Date('2030-03-11T15:00:00Z')], closesAt: new Date('2030-03-08T12:00:00Z') };
    expect(pollOpenedTitle(poll, 'America/Chicago')).toBe(
      'Ben asks when to meet in Digital Tools: “Show and tell”: Sat 9 Mar 09:00, Mon 11 Mar 10:00. Answer by Fri 8 Mar 06:00 (America/Chicago time)',
    );
  });
});
