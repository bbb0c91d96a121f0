import { useEmbeddedApp } from '../support/embedded';
import { AnswerTimePollDocument, CloseTimePollDocument, CommunityTimePollsDocument, CreateTimePollDocument, LogInDocument } from '../generated/graphql';
import { STAFF_EMAIL } from '../../src/db/seed/demo';

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

/** The zero-setup default (embedded PGlite, seeded): the demo's open poll, answered, and a new poll closed into a meeting. */
describe('time polls on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-timepolls-pglite-');
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has an open demo poll with answers, takes a new answer, and closes a poll into a meeting', async () => {
    const demo = (await gql(LogInDocument, { input: embedded.demo })).logIn.token as string;
    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn.token as string;

    const community = (await gql(CommunityTimePollsDocument, { slug: 'digital-tools' }, demo)).community;
    expect(community.timePolls.totalCount).toBe(1);
    const seeded = community.timePolls.edges[0].node;
    expect(seeded).toMatchObject({ status: 'OPEN', chosenOption: null, meeting: null });
    expect(seeded.options).toHaveLength(3);
    expect(seeded.respondentCount).toBeGreaterThanOrEqual(3);
    const total = (o: { yes: number; ifNeeded: number; no: number }) => o.yes + o.ifNeeded + o.no;
    expect(seeded.options.map(total).reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);

    // The demo member (the community's LEAD) answers the last option, replacing any earlier answer.
    const last = seeded.options[2];
    const answered = (await gql(AnswerTimePollDocument, { input: { pollId: seeded.id, answers: [{ optionId: last.id, answer: 'YES' }] } }, demo)).answerTimePoll;
    const after = answered.options[2];
    expect(after.viewerAnswer).toBe('YES');
    expect(total(after)).toBe(last.viewerAnswer ? total(last) : total(last) + 1);

    const poll = (await gql(CreateTimePollDocument, {
      input: { communityId: community.id, title: 'Embedded meetup', options: [{ startsAt: inHours(50), durationMinutes: 45 }, { startsAt: inHours(26), durationMinutes: 45 }], closesAt: inHours(25) },
    }, demo)).createTimePoll;
    await gql(AnswerTimePollDocument, { input: { pollId: poll.id, answers: [{ optionId: poll.options[1].id, answer: 'IF_NEEDED' }] } }, demo);
    const closed = (await gql(CloseTimePollDocument, { input: { pollId: poll.id, schedule: true, venue: 'Library hall' } }, staff)).closeTimePoll;
    expect(closed).toMatchObject({
      status: 'CLOSED',
      chosenOption: { id: poll.options[1].id },
      meeting: { kind: 'MEETUP', title: 'Embedded meetup', venue: 'Library hall', startsAt: poll.options[1].startsAt, endsAt: poll.options[1].endsAt },
    });
    const again = await embedded.gql(CloseTimePollDocument, { input: { pollId: poll.id } }, staff);
    expect((again.errors as { extensions: { code: string } }[])[0]!.extensions.code).toBe('CONFLICT');
  }, 60_000);
});
