import {
  CommunityRitualsDocument,
  CommunityRitualTitlesDocument,
  CreateRitualDocument,
  DeleteRitualDocument,
  PauseRitualDocument,
  RitualNodeDocument,
  UpdateRitualDocument,
} from '../generated/graphql';
import { CommunityRole, MembershipStatus } from '../support/factories';
import { badInputFields, countRows, distinctBadInputFields, expectData, expectError, startTestServer, type TestServer } from '../support/server';
import { createRitual, dbId, eventsOf, localTime, ritualInput, ritualsIn, ritualWorld } from './support';
import { toGlobalId } from '../../src/shared/ids';

let server: TestServer;
beforeAll(async () => {
  // The schedule never fires during the test (occurrences.test.ts runs the job's handler itself).
  server = await startTestServer({ RITUALS_CRON: '0 0 1 1 *' });
});
afterAll(() => server.close());
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const world = () => ritualWorld(server);

describe('createRitual refusals', () => {
  it('is UNAUTHENTICATED for anonymous viewers and FORBIDDEN to plain members, coordinators and outsiders, with nothing written', async () => {
    const { community, monitor, member, outsider } = await world();
    const coordinator = await server.factories.activeMember(community, [CommunityRole.MEETING_COORDINATOR, CommunityRole.EVENT_COORDINATOR]);
    const input = ritualInput(community.id, [monitor.membershipId]);
    expectError(await server.gql(CreateRitualDocument, { input }), 'UNAUTHENTICATED');
    for (const token of [member.token, coordinator.token, outsider.token]) {
      const refused = expectError(await server.gql(CreateRitualDocument, { input }, { token }), 'FORBIDDEN');
      expect(refused.message).toBe("Only the community's discussion monitors, its lead and staff can run its rituals");
    }
    expect(await ritualsIn(server, community.id)).toBe(0);
    expect(await countRows(server, `select count(*) as n from domain_event where type = 'RitualCreated' and community_id = ?`, dbId(community.id))).toBe(0);
  });

  it('is FORBIDDEN in a retired (read-only) community, even to its lead and staff', async () => {
    const { community, lead } = await world();
    const staff = await server.factories.staff();
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [dbId(community.id)]);
    for (const token of [lead.token, staff.token]) {
      const refused = expectError(await server.gql(CreateRitualDocument, { input: ritualInput(community.id, [lead.membershipId]) }, { token }), 'FORBIDDEN');
      expect(refused.message).toBe('This community is retired and read-only');
    }
    expect(await ritualsIn(server, community.id)).toBe(0);
  });
});

describe('createRitual bad input (BAD_USER_INPUT with fieldErrors, nothing written)', () => {
  it.each([
    ['an invalid RRULE', { rrule: 'FREQ=WEEKLY;BYDAY=XX' }, ['rrule']],
    ['a rule that is not an RRULE at all', { rrule: 'every monday' }, ['rrule']],
    ['an unknown frequency', { rrule: 'FREQ=FORTNIGHTLY' }, ['rrule']],
    ['a rule more frequent than daily (HOURLY)', { rrule: 'FREQ=HOURLY' }, ['rrule']],
    ['a rule more frequent than daily (MINUTELY)', { rrule: 'RRULE:FREQ=MINUTELY;INTERVAL=15' }, ['rrule']],
    ['several times a day through BYHOUR', { rrule: 'FREQ=DAILY;BYHOUR=9,17' }, ['rrule']],
    ['a DTSTART inside the rule', { rrule: 'DTSTART:20270308T150000Z\nRRULE:FREQ=WEEKLY' }, ['rrule']],
    ['a rule that ended before it starts', { rrule: 'FREQ=WEEKLY;UNTIL=20200101T000000Z' }, ['rrule']],
    ['a rule that never matches (February 30)', { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, ['rrule']],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, ['timeZone']],
    ['an offset instead of a zone', { timeZone: '+01:00' }, ['timeZone']],
    ['a bad rule and a bad zone at once', { rrule: 'FREQ=SECONDLY', timeZone: 'Atlantis/Capital' }, ['rrule', 'timeZone']],
    ['a blank title', { title: '   ' }, ['title']],
    ['an empty prompt', { prompt: '' }, ['prompt']],
    ['a start two years back', { startsAt: new Date(Date.now() - 2 * 366 * 86_400_000).toISOString() }, ['startsAt']],
  ])('refuses %s', async (_, overrides, fields) => {
    const { community, monitor } = await world();
    const response = await server.gql(CreateRitualDocument, { input: ritualInput(community.id, [monitor.membershipId], overrides) }, { token: monitor.token });
    expect(distinctBadInputFields(response)).toEqual(fields);
    expect(await ritualsIn(server, community.id)).toBe(0);
  });

  it('refuses hosts who are not ACTIVE members of this community, repeated hosts, no hosts and IDs of other types', async () => {
    const { community, monitor, member } = await world();
    const pending = await server.factories.member();
    const pendingMembership = await server.factories.membership(pending, community, { status: MembershipStatus.PENDING });
    const left = await server.factories.member();
    const leftMembership = await server.factories.membership(left, community, { status: MembershipStatus.LEFT });
    const elsewhere = await server.factories.community();
    const stranger = await server.factories.activeMember(elsewhere);
    const lists = [
      [monitor.membershipId, pendingMembership.id],
      [leftMembership.id],
      [member.membershipId, stranger.membershipId],
      [member.membershipId, member.membershipId],
      [],
      [community.id],
    ];
    for (const hostMembershipIds of lists) {
      const response = await server.gql(CreateRitualDocument, { input: ritualInput(community.id, hostMembershipIds) }, { token: monitor.token });
      expect(distinctBadInputFields(response)).toEqual(['hostMembershipIds']);
    }
    const response = await server.gql(CreateRitualDocument, { input: ritualInput(community.id, [monitor.membershipId, pendingMembership.id]) }, { token: monitor.token });
    expect(expectError(response, 'BAD_USER_INPUT').message).toContain('not item 2');
    expect(await ritualsIn(server, community.id)).toBe(0);
  });
});

describe('createRitual', () => {
  it('lets a discussion monitor, the LEAD and staff set up rituals, read back through Community.rituals', async () => {
    const { community, monitor, lead, member } = await world();
    const staff = await server.factories.staff();
    const first = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId, member.membershipId, lead.membershipId], { rrule: 'RRULE:freq=weekly;byday=mo' }));
    expect(first).toMatchObject({
      title: 'Shelf check',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      timeZone: 'America/Chicago',
      paused: false,
      startsAt: '2027-03-08T15:00:00.000Z',
      // Monday 8 March 2027, 09:00 in Chicago: the start itself is the first occurrence.
      nextOccurrenceAt: '2027-03-08T15:00:00.000Z',
      community: { id: community.id },
      createdBy: { id: monitor.id },
      hosts: [{ id: monitor.id }, { id: member.id }, { id: lead.id }],
    });
    const monthly = await createRitual(
      server,
      lead.token,
      ritualInput(community.id, [lead.membershipId], { title: 'Research roundup', rrule: 'FREQ=MONTHLY;BYDAY=1TU', timeZone: 'Europe/Berlin', startsAt: localTime('2027-02-01T16:30', 'Europe/Berlin') }),
    );
    // Monday 1 February: the first Tuesday of February is the 2nd, 16:30 in Berlin.
    expect(monthly.nextOccurrenceAt).toBe(localTime('2027-02-02T16:30', 'Europe/Berlin'));
    await createRitual(server, staff.token, ritualInput(community.id, [member.membershipId], { title: 'Daily word', rrule: 'FREQ=DAILY' }));
    expect(await eventsOf(server, 'RitualCreated', first.id)).toBe(1);

    const { community: read } = expectData(await server.gql(CommunityRitualsDocument, { slug: community.community.slug, first: 2 }));
    expect(read!.rituals!.totalCount).toBe(3);
    expect(read!.rituals!.edges.map((e) => e.node.title)).toEqual(['Shelf check', 'Research roundup']);
    expect(read!.rituals!.edges[0]!.node.occurrences).toEqual({ totalCount: 0, edges: [] });
    const rest = expectData(await server.gql(CommunityRitualsDocument, { slug: community.community.slug, after: read!.rituals!.pageInfo.endCursor })).community!.rituals!;
    expect(rest.edges.map((e) => e.node.title)).toEqual(['Daily word']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('takes the start to a time in the past (up to a year) and schedules the first occurrence after now', async () => {
    const { community, monitor } = await world();
    const startsAt = new Date(Date.now() - 10 * 86_400_000 - 3_600_000).toISOString();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId], { rrule: 'FREQ=DAILY', timeZone: 'UTC', startsAt }));
    const next = new Date(ritual.nextOccurrenceAt!).getTime();
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(new Date(next).toISOString().slice(11)).toBe(new Date(startsAt).toISOString().slice(11).replace(/\.\d+Z$/, '.000Z'));
  });
});

describe('reading rituals', () => {
  it('is FORBIDDEN to non-members of a RESTRICTED community on Community.rituals and node(id), for rituals and occurrences', async () => {
    const { community, monitor, member, outsider } = await ritualWorld(server, 'RESTRICTED');
    const staff = await server.factories.staff();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    // An occurrence record, as the job writes it (occurrences.test.ts covers the job itself).
    const occurrenceId = '00000000-0000-4000-8000-000000000001';
    await server.em().execute(`insert into ritual_occurrence (id, ritual_id, occurrence_at, status) values (?, ?, ?, 'NO_HOST')`, [occurrenceId, dbId(ritual.id), '2027-03-08T15:00:00Z']);
    const occurrence = toGlobalId('RitualOccurrence', occurrenceId);

    for (const token of [undefined, outsider.token]) {
      const listed = await server.gql(CommunityRitualsDocument, { slug: community.community.slug }, { token });
      expect(expectError(listed, 'FORBIDDEN').path).toEqual(['community', 'rituals']);
      expect(listed.data?.community).toBeNull(); // rituals is non-null (the contract): the refusal nulls the community
      for (const id of [ritual.id, occurrence]) {
        const byId = await server.gql(RitualNodeDocument, { id }, { token });
        expectError(byId, 'FORBIDDEN');
        expect(byId.data?.node).toBeNull();
      }
    }
    for (const token of [member.token, staff.token]) {
      expect(expectData(await server.gql(CommunityRitualsDocument, { slug: community.community.slug }, { token })).community!.rituals!.totalCount).toBe(1);
      const node = expectData(await server.gql(RitualNodeDocument, { id: ritual.id }, { token })).node;
      expect(node).toMatchObject({ __typename: 'Ritual', title: 'Shelf check', occurrences: { totalCount: 1, edges: [{ node: { id: occurrence, status: 'NO_HOST', thread: null, host: null } }] } });
      expect(expectData(await server.gql(RitualNodeDocument, { id: occurrence }, { token })).node).toMatchObject({ __typename: 'RitualOccurrence', ritual: { id: ritual.id } });
    }
  });

  it('lets anyone read an OPEN community\'s rituals, and refuses first over 100 on both connections', async () => {
    const { community, monitor } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    expect(expectData(await server.gql(RitualNodeDocument, { id: ritual.id })).node).toMatchObject({ id: ritual.id, nextOccurrenceAt: '2027-03-08T15:00:00.000Z' });
    expect(badInputFields(await server.gql(CommunityRitualTitlesDocument, { slug: community.community.slug, first: 101 }))).toEqual(['first']);
    expect(badInputFields(await server.gql(RitualNodeDocument, { id: ritual.id, first: 101 }))).toEqual(['first']);
    expect(badInputFields(await server.gql(RitualNodeDocument, { id: ritual.id, after: 'not-a-cursor' }))).toEqual(['after']);
    expect(expectData(await server.gql(CommunityRitualTitlesDocument, { slug: community.community.slug, first: 100 })).community!.rituals!.totalCount).toBe(1);
  });
});

describe('pauseRitual', () => {
  it('is UNAUTHENTICATED for anonymous viewers, FORBIDDEN to plain members and outsiders, and changes nothing', async () => {
    const { community, monitor, member, outsider } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    expectError(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }), 'UNAUTHENTICATED');
    for (const token of [member.token, outsider.token]) expectError(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }, { token }), 'FORBIDDEN');
    expect(expectData(await server.gql(RitualNodeDocument, { id: ritual.id })).node).toMatchObject({ paused: false });
    expect(await eventsOf(server, 'RitualPauseChanged', ritual.id)).toBe(0);
    expectError(await server.gql(PauseRitualDocument, { ritualId: toGlobalId('Ritual', '00000000-0000-4000-8000-000000000009'), paused: true }, { token: monitor.token }), 'NOT_FOUND');
    expect(badInputFields(await server.gql(PauseRitualDocument, { ritualId: community.id, paused: true }, { token: monitor.token }))).toEqual(['ritualId']);
  });

  it('pauses (no next occurrence) and resumes (the next future one), recording each change once', async () => {
    const { community, monitor, lead } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    const paused = expectData(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }, { token: lead.token })).pauseRitual;
    expect(paused).toMatchObject({ paused: true, nextOccurrenceAt: null });
    expectData(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }, { token: lead.token }));
    expect(await eventsOf(server, 'RitualPauseChanged', ritual.id)).toBe(1);
    const resumed = expectData(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: false }, { token: monitor.token })).pauseRitual;
    expect(resumed).toMatchObject({ paused: false, nextOccurrenceAt: '2027-03-08T15:00:00.000Z' });
    expect(await eventsOf(server, 'RitualPauseChanged', ritual.id)).toBe(2);
  });

  it('is FORBIDDEN once the community is retired, and a retired community shows no next occurrence', async () => {
    const { community, monitor } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    await server.em().execute(`update community set status = 'RETIRED' where id = ?`, [dbId(community.id)]);
    expectError(await server.gql(PauseRitualDocument, { ritualId: ritual.id, paused: true }, { token: monitor.token }), 'FORBIDDEN');
    expect(expectData(await server.gql(RitualNodeDocument, { id: ritual.id })).node).toMatchObject({ paused: false, nextOccurrenceAt: null });
  });
});

describe('updateRitual and deleteRitual', () => {
  it('refuses plain members and bad details (nothing changed), and changes schedule, hosts and text for a monitor', async () => {
    const { community, monitor, member, other } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    expectError(await server.gql(UpdateRitualDocument, { input: { ritualId: ritual.id, title: 'Mine now' } }), 'UNAUTHENTICATED');
    expectError(await server.gql(UpdateRitualDocument, { input: { ritualId: ritual.id, title: 'Mine now' } }, { token: member.token }), 'FORBIDDEN');
    const bad = [
      [{ rrule: 'FREQ=HOURLY' }, ['rrule']],
      [{ timeZone: 'Nowhere/Land' }, ['timeZone']],
      [{ title: null }, ['title']],
      [{ rrule: null, prompt: 'A new prompt' }, ['rrule']],
      [{ prompt: ' ' }, ['prompt']],
      [{ hostMembershipIds: [member.membershipId, toGlobalId('Membership', '00000000-0000-4000-8000-000000000002')] }, ['hostMembershipIds']],
    ] as const;
    for (const [change, fields] of bad) {
      const response = await server.gql(UpdateRitualDocument, { input: { ritualId: ritual.id, ...change } as never }, { token: monitor.token });
      expect(distinctBadInputFields(response).sort()).toEqual([...fields].sort());
    }
    expect(expectData(await server.gql(RitualNodeDocument, { id: ritual.id })).node).toMatchObject({ title: 'Shelf check', rrule: 'FREQ=WEEKLY;BYDAY=MO', hosts: [{ id: monitor.id }] });
    expect(await eventsOf(server, 'RitualUpdated', ritual.id)).toBe(0);

    const updated = expectData(
      await server.gql(
        UpdateRitualDocument,
        { input: { ritualId: ritual.id, title: 'Shelf check (Wednesdays)', rrule: 'FREQ=WEEKLY;BYDAY=WE', hostMembershipIds: [other.membershipId, member.membershipId] } },
        { token: monitor.token },
      ),
    ).updateRitual;
    expect(updated).toMatchObject({
      title: 'Shelf check (Wednesdays)',
      rrule: 'FREQ=WEEKLY;BYDAY=WE',
      // The first Wednesday from the start (Monday 8 March), still 09:00 in Chicago.
      nextOccurrenceAt: localTime('2027-03-10T09:00', 'America/Chicago'),
      hosts: [{ id: other.id }, { id: member.id }],
    });
    expect(await eventsOf(server, 'RitualUpdated', ritual.id)).toBe(1);
    expectData(await server.gql(UpdateRitualDocument, { input: { ritualId: ritual.id, title: 'Shelf check (Wednesdays)' } }, { token: monitor.token }));
    expect(await eventsOf(server, 'RitualUpdated', ritual.id)).toBe(1);
  });

  it('deletes a ritual for its monitor only; it is gone from every path', async () => {
    const { community, monitor, member } = await world();
    const ritual = await createRitual(server, monitor.token, ritualInput(community.id, [monitor.membershipId]));
    expectError(await server.gql(DeleteRitualDocument, { ritualId: ritual.id }), 'UNAUTHENTICATED');
    expectError(await server.gql(DeleteRitualDocument, { ritualId: ritual.id }, { token: member.token }), 'FORBIDDEN');
    expect(await ritualsIn(server, community.id)).toBe(1);
    expect(expectData(await server.gql(DeleteRitualDocument, { ritualId: ritual.id }, { token: monitor.token })).deleteRitual).toEqual({ id: ritual.id, title: 'Shelf check' });
    expect(await ritualsIn(server, community.id)).toBe(0);
    expect(await eventsOf(server, 'RitualDeleted', ritual.id)).toBe(1);
    expect(expectData(await server.gql(RitualNodeDocument, { id: ritual.id })).node).toBeNull();
    expectError(await server.gql(DeleteRitualDocument, { ritualId: ritual.id }, { token: monitor.token }), 'NOT_FOUND');
  });
});
