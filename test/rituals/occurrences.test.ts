import { CommunityThreadsDocument, InboxDocument, LeaveCommunityDocument, PauseRitualDocument, RitualNodeDocument } from '../generated/graphql';
import { countRows, expectData, startTestApp, startTestServer, type TestServer } from '../support/server';
import { captureMail, fanOutAll, jobsDone } from '../notifications/support';
import { createRitual, DAY, dbId, eventsOf, inZone, localTime, MINUTE, ritualInput, ritualWorld } from './support';
import { scopeFor } from '../../src/context';
import { Member } from '../../src/modules/members/member.entity';
import { pauseRitual } from '../../src/modules/meetings/rituals/commands/pauseRitual';
import { POST_RITUALS_JOB, postDueRituals } from '../../src/modules/meetings/rituals/jobs/postDueRituals';

let server: TestServer;
beforeAll(async () => {
  // The schedule never fires by itself: each test runs the job's handler at the `now` it chooses.
  server = await startTestServer({ RITUALS_CRON: '0 0 1 1 *', EMAIL_DELAY_SECONDS: '3600' });
  captureMail(server);
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));
// One database for the file: each test's runs (at times of its choosing) must not post the rituals of tests before it.
afterEach(() => server.em().execute('update ritual set paused = true'));

const run = (now: Date | string) => postDueRituals(server.app.services, new Date(now));
const at = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms);

async function read(ritualId: string, token?: string) {
  const node = expectData(await server.gql(RitualNodeDocument, { id: ritualId, first: 50 }, { token })).node;
  if (node?.__typename !== 'Ritual') throw new Error(`no ritual ${ritualId}`);
  return node;
}
const occurrencesOf = async (ritualId: string) => (await read(ritualId)).occurrences.edges.map((e) => e.node);
const threadsOf = (communityId: string) => countRows(server, `select count(*) as n from thread where community_id = ? and kind = 'PROMPT'`, dbId(communityId));

describe('an occurrence', () => {
  it('posts one PROMPT thread (title and local date, the prompt as body) by the hosts in turn, and moves nextOccurrenceAt on', async () => {
    const { community, monitor, lead, member } = await ritualWorld(server);
    const startsAt = new Date(Date.now() + MINUTE).toISOString();
    const ritual = await createRitual(
      server,
      monitor.token,
      ritualInput(community.id, [monitor.membershipId, member.membershipId, lead.membershipId], { rrule: 'FREQ=DAILY', timeZone: 'Pacific/Auckland', startsAt }),
    );
    expect(ritual.nextOccurrenceAt).toBe(new Date(Math.floor(Date.parse(startsAt) / 1000) * 1000).toISOString());
    expect(await run(at(startsAt, -MINUTE))).toMatchObject({ posted: 0 });
    expect(await threadsOf(community.id)).toBe(0);

    for (let day = 0; day < 4; day++) expect(await run(at(startsAt, day * DAY + 30_000))).toMatchObject({ posted: 1, skipped: 0 });
    const occurrences = await occurrencesOf(ritual.id);
    const hosts = [monitor, member, lead, monitor];
    expect(occurrences.map((o) => o.host?.id)).toEqual(hosts.map((h) => h.id).reverse());
    for (const [n, occurrence] of [...occurrences].reverse().entries()) {
      const due = at(ritual.nextOccurrenceAt!, n * DAY);
      expect(occurrence).toMatchObject({
        at: due.toISOString(),
        status: 'POSTED',
        // The date where the ritual is held: Auckland is a day ahead of UTC at most hours.
        thread: { title: `Shelf check — ${inZone(due.toISOString(), 'Pacific/Auckland')!.slice(4, 14)}`, body: ritualInput('', []).prompt, kind: 'PROMPT', tags: ['ritual'], author: { id: hosts[n]!.id } },
      });
    }
    expect((await read(ritual.id)).nextOccurrenceAt).toBe(at(ritual.nextOccurrenceAt!, 4 * DAY).toISOString());
    // The threads are the community's like any other.
    const feed = expectData(await server.gql(CommunityThreadsDocument, { slug: community.community.slug, first: 10 })).community!.threads!;
    expect(feed.totalCount).toBe(4);
    expect(await eventsOf(server, 'RitualPrompted', ritual.id)).toBe(4);
  });

  it('stays at 09:00 in Chicago across the March change: nextOccurrenceAt moves from 15:00 to 14:00 UTC', async () => {
    const { community, monitor } = await ritualWorld(server);
    // Monday 8 March 2027, 09:00 CST; daylight saving starts on Sunday 14 March.
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    expect(ritual.nextOccurrenceAt).toBe('2027-03-08T15:00:00.000Z');
    await run('2027-03-08T15:00:30Z');
    const after = await read(ritual.id);
    expect(after.nextOccurrenceAt).toBe('2027-03-15T14:00:00.000Z');
    expect(inZone(after.nextOccurrenceAt, 'America/Chicago')).toBe('Mon 2027-03-15 09:00');
    await run('2027-03-15T14:00:30Z');
    expect((await occurrencesOf(ritual.id)).map((o) => [o.at, o.thread?.title])).toEqual([
      ['2027-03-15T14:00:00.000Z', 'Shelf check — 2027-03-15'],
      ['2027-03-08T15:00:00.000Z', 'Shelf check — 2027-03-08'],
    ]);
  });

  it('stays at 09:00 in Chicago across the November change: from 14:00 to 15:00 UTC', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { startsAt: localTime('2027-11-01T09:00', 'America/Chicago') }));
    expect(ritual.nextOccurrenceAt).toBe('2027-11-01T14:00:00.000Z');
    await run('2027-11-01T14:01:00Z');
    expect((await read(ritual.id)).nextOccurrenceAt).toBe('2027-11-08T15:00:00.000Z');
  });

  it('runs a monthly rule in a European zone: the first Tuesday, 16:30 in Berlin, before and after its change', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(
      server,
      monitor.token,
      ritualInput(community.id, [monitor.membershipId], { rrule: 'FREQ=MONTHLY;BYDAY=1TU', timeZone: 'Europe/Berlin', startsAt: localTime('2027-03-01T16:30', 'Europe/Berlin') }),
    );
    expect(ritual.nextOccurrenceAt).toBe('2027-03-02T15:30:00.000Z');
    await run('2027-03-02T15:31:00Z');
    // Europe moves to summer time on 28 March: 16:30 in Berlin is 14:30 UTC in April.
    expect((await read(ritual.id)).nextOccurrenceAt).toBe('2027-04-06T14:30:00.000Z');
    await run('2027-04-06T14:31:00Z');
    expect((await occurrencesOf(ritual.id)).map((o) => o.thread?.title)).toEqual(['Shelf check — 2027-04-06', 'Shelf check — 2027-03-02']);
  });

  it('notifies the host (RITUAL_PROMPT, about the thread) and the community as for any new thread (NEW_THREAD, not the host)', async () => {
    const { community, monitor, member, other } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [member.membershipId], { title: 'Reading wins', startsAt: localTime('2027-03-22T09:00', 'America/Chicago') }));
    await run('2027-03-22T14:00:10Z');
    await fanOutAll(server);
    const [occurrence] = await occurrencesOf(ritual.id);
    const threadId = occurrence!.thread!.id;

    const inbox = async (token: string) => expectData(await server.gql(InboxDocument, {}, { token })).viewer!.notifications.edges.map((e) => e.node);
    const hostInbox = await inbox(member.token);
    expect(hostInbox.map((n) => n.kind)).toEqual(['RITUAL_PROMPT']);
    expect(hostInbox[0]).toMatchObject({ title: `It is your turn to host “Reading wins” in ${community.community.name}: its prompt is posted`, subject: { id: threadId } });
    for (const reader of [monitor, other]) {
      const kinds = (await inbox(reader.token)).map((n) => [n.kind, n.subject && 'id' in n.subject ? n.subject.id : null]);
      expect(kinds).toEqual([['NEW_THREAD', threadId]]);
    }
    // The thread's own event names the host as its actor, as when a member starts a thread.
    const [started] = await server.em().execute<{ actor_id: string }[]>(`select actor_id from domain_event where type = 'ThreadStarted' and payload->>'threadId' = ?`, [dbId(threadId)]);
    expect(started!.actor_id).toBe(member.member.id);
  });
});

describe('hosts', () => {
  it('skips a host who left (their turn passes to the next in order) and records NO_HOST, posting nothing, when none is left', async () => {
    const { community, monitor, member, other } = await ritualWorld(server);
    const ritual = await createRitual(
      server,
      monitor.token,
      ritualInput(community.id, [monitor.membershipId, member.membershipId, other.membershipId], { rrule: 'FREQ=DAILY', startsAt: localTime('2027-05-03T09:00', 'America/Chicago') }),
    );
    const day = (n: number) => at(ritual.nextOccurrenceAt!, n * DAY + 30_000);
    await run(day(0)); // monitor
    expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: member.token }));
    await run(day(1)); // member's turn: passes to other
    await run(day(2)); // then back to monitor
    expect((await occurrencesOf(ritual.id)).map((o) => o.host?.id).reverse()).toEqual([monitor.id, other.id, monitor.id]);

    for (const host of [monitor, other]) expectData(await server.gql(LeaveCommunityDocument, { communityId: community.id }, { token: host.token }));
    expect(await run(day(3))).toMatchObject({ posted: 0, skipped: 1 });
    const [skipped] = await occurrencesOf(ritual.id);
    expect(skipped).toMatchObject({ at: at(ritual.nextOccurrenceAt!, 3 * DAY).toISOString(), status: 'NO_HOST', thread: null, host: null });
    expect(await threadsOf(community.id)).toBe(3);
    expect(await eventsOf(server, 'RitualOccurrenceSkipped', ritual.id)).toBe(1);
    // The ritual goes on: the next day is its next occurrence, and a returning host picks it up.
    expect((await read(ritual.id)).nextOccurrenceAt).toBe(at(ritual.nextOccurrenceAt!, 4 * DAY).toISOString());
    await server.em().execute(`update membership set status = 'ACTIVE', joined_at = now() where id = ?`, [dbId(other.membershipId)]);
    expect(await run(day(4))).toMatchObject({ posted: 1 });
    expect((await occurrencesOf(ritual.id))[0]!.host?.id).toBe(other.id);
  });
});

describe('exactly once', () => {
  it('posts each occurrence once with two handlers at once, on two instances, and after a restart', async () => {
    const { community, monitor } = await ritualWorld(server);
    const rituals = [];
    for (let i = 0; i < 6; i++) {
      rituals.push(await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { title: `Ritual ${i}`, startsAt: localTime('2027-06-07T09:00', 'America/Chicago') })));
    }
    const due = '2027-06-07T14:00:30Z';
    const second = await startTestApp(server.config, server.databaseName);
    try {
      const runs = await Promise.all([run(due), run(due), postDueRituals(second.app.services, new Date(due)), postDueRituals(second.app.services, new Date(due))]);
      expect(runs.reduce((sum, r) => sum + r.posted, 0)).toBe(6);
      expect(runs.every((r) => r.failed === 0)).toBe(true);
    } finally {
      await second.close();
    }
    // A restart: the handler runs again, as a fresh job would, at the same or a later time.
    expect(await run(due)).toMatchObject({ posted: 0 });
    expect(await run('2027-06-07T14:09:00Z')).toMatchObject({ posted: 0 });
    expect(await threadsOf(community.id)).toBe(6);
    for (const ritual of rituals) {
      expect(await countRows(server, 'select count(*) as n from ritual_occurrence where ritual_id = ?', dbId(ritual.id))).toBe(1);
      expect(await eventsOf(server, 'RitualPrompted', ritual.id)).toBe(1);
    }
  });

  it('after downtime posts only the latest due occurrence, not the missed ones before it', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { startsAt: localTime('2027-08-02T09:00', 'America/Chicago') }));
    // Three Mondays pass with the job down; it comes back on Wednesday of the third week.
    expect(await run(localTime('2027-08-18T12:00', 'America/Chicago'))).toMatchObject({ posted: 1 });
    const occurrences = await occurrencesOf(ritual.id);
    expect(occurrences.map((o) => inZone(o.at, 'America/Chicago'))).toEqual(['Mon 2027-08-16 09:00']);
    expect(inZone((await read(ritual.id)).nextOccurrenceAt, 'America/Chicago')).toBe('Mon 2027-08-23 09:00');
  });
});

describe('what posts nothing', () => {
  it('a paused ritual posts nothing; resumed, it continues with its next future occurrence', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { rrule: 'FREQ=DAILY', startsAt: localTime('2027-09-06T09:00', 'America/Chicago') }));
    const start = ritual.nextOccurrenceAt!;
    expectData(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }, { token: monitor.token }));
    expect(await run(at(start, 2 * DAY + MINUTE))).toMatchObject({ posted: 0 });
    expect(await threadsOf(community.id)).toBe(0);

    // Resumed two days and a minute after the start (the command at that time, as the API would be then).
    const em = server.em();
    const actor = await em.findOneOrFail(Member, { id: monitor.member.id });
    const resumed = await pauseRitual(scopeFor(server.app.services, actor, em), { ritualId: dbId(ritual.id), paused: false }, at(start, 2 * DAY + MINUTE));
    expect(resumed.nextOccurrenceAt?.toISOString()).toBe(at(start, 3 * DAY).toISOString());
    expect(await run(at(start, 2 * DAY + 2 * MINUTE))).toMatchObject({ posted: 0 });
    expect(await run(at(start, 3 * DAY + MINUTE))).toMatchObject({ posted: 1 });
    expect((await occurrencesOf(ritual.id)).map((o) => o.at)).toEqual([at(start, 3 * DAY).toISOString()]);
  });

  it('a ritual of a retired (read-only) community posts nothing', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { startsAt: localTime('2027-10-04T09:00', 'America/Chicago') }));
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [dbId(community.id)]);
    expect(await run('2027-10-04T14:01:00Z')).toMatchObject({ posted: 0, failed: 0 });
    expect(await threadsOf(community.id)).toBe(0);
    expect(await occurrencesOf(ritual.id)).toEqual([]);
  });
});

describe('the rituals.post job', () => {
  it('is scheduled by RITUALS_CRON and posts what is due at the time it runs', async () => {
    const { community, monitor } = await ritualWorld(server);
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { rrule: 'FREQ=DAILY', timeZone: 'UTC', startsAt: new Date(Date.now() + 1500).toISOString() }));
    const schedules = (await server.app.services.jobs.raw.getSchedules()) as { name: string; cron: string }[];
    expect(schedules.find((s) => s.name === POST_RITUALS_JOB)).toMatchObject({ cron: '0 0 1 1 *' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(ritual.nextOccurrenceAt!) - Date.now()) + 200));
    await server.app.services.jobs.send(POST_RITUALS_JOB, {});
    await jobsDone(server, POST_RITUALS_JOB);
    expect((await occurrencesOf(ritual.id)).map((o) => o.status)).toEqual(['POSTED']);
  });
});
