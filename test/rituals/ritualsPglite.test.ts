import { useEmbeddedApp } from '../support/embedded';
import { CommunityRitualsDocument, CreateRitualDocument, LogInDocument, RitualNodeDocument, ViewerMembershipInDocument } from '../generated/graphql';
import { STAFF_EMAIL } from '../../src/db/seed/demo';
import { postDueRituals } from '../../src/modules/meetings/rituals/jobs/postDueRituals';
import { DateTime } from 'luxon';

/**
 * The zero-setup default (embedded PGlite, seeded; its single connection shared by the ORM and the queue): the demo's
 * weekly ritual, and a new one whose occurrence is posted once however many runs of the job there are.
 */
describe('rituals on the embedded PGlite database', () => {
  const embedded = useEmbeddedApp('practicehub-rituals-pglite-', { RITUALS_CRON: '0 0 1 1 *' });
  async function gql(document: Parameters<typeof embedded.gql>[0], variables: unknown, token?: string) {
    const json = await embedded.gql(document, variables, token);
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  it('has the demo ritual with two occurrences posted, and posts a new ritual\'s occurrence exactly once', async () => {
    const staff = (await gql(LogInDocument, { input: { email: STAFF_EMAIL, password: embedded.demo!.password } })).logIn.token as string;
    const demo = (await gql(CommunityRitualsDocument, { slug: 'reading-promotion', occurrences: 5 })).community.rituals;
    expect(demo.totalCount).toBe(1);
    const shelf = demo.edges[0].node;
    expect(shelf).toMatchObject({ title: 'Shelf check', rrule: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'America/Chicago', paused: false });
    expect(shelf.hosts.length).toBeGreaterThanOrEqual(2);
    expect(DateTime.fromISO(shelf.nextOccurrenceAt, { zone: 'America/Chicago' }).toFormat('ccc HH:mm')).toBe('Mon 09:00');
    expect(Date.parse(shelf.nextOccurrenceAt)).toBeGreaterThan(Date.now());
    const posted = shelf.occurrences.edges.map((e: { node: { status: string; host: { id: string }; thread: { kind: string; author: { id: string } } } }) => e.node);
    expect(posted).toHaveLength(2);
    for (const occurrence of posted) expect(occurrence).toMatchObject({ status: 'POSTED', thread: { kind: 'PROMPT', author: { id: occurrence.host.id } } });
    // Hosts in turn: the newest occurrence was the second host's.
    expect(posted.map((o: { host: { id: string } }) => o.host.id)).toEqual([shelf.hosts[1].id, shelf.hosts[0].id]);

    const { community } = await gql(ViewerMembershipInDocument, { slug: 'reading-promotion' }, staff);
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const input = { communityId: community.id, title: 'Embedded prompt', prompt: 'Posted on PGlite', rrule: 'FREQ=DAILY', startsAt, timeZone: 'Europe/Oslo', hostMembershipIds: [community.viewerMembership.id] };
    const ritual = (await gql(CreateRitualDocument, { input }, staff)).createRitual;
    const due = new Date(Date.parse(ritual.nextOccurrenceAt) + 30_000);
    const runs = await Promise.all([postDueRituals(embedded.app.services, due), postDueRituals(embedded.app.services, due)]);
    expect(runs.reduce((sum, r) => sum + r.posted, 0)).toBe(1);
    expect((await postDueRituals(embedded.app.services, due)).posted).toBe(0);
    const read = (await gql(RitualNodeDocument, { id: ritual.id }, staff)).node;
    expect(read.occurrences.edges.map((e: { node: { status: string; thread: { title: string } } }) => [e.node.status, e.node.thread.title])).toEqual([
      ['POSTED', `Embedded prompt — ${DateTime.fromISO(ritual.nextOccurrenceAt, { zone: 'Europe/Oslo' }).toISODate()}`],
    ]);
    expect(Date.parse(read.nextOccurrenceAt) - Date.parse(ritual.nextOccurrenceAt)).toBe(86_400_000);
  }, 90_000);
});
