import 'reflect-metadata';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../src/db/seed/demo';
import { expectData, expectError, startTestServer, type TestServer } from '../support/server';

/** The demo data a newcomer gets from `npm start` includes resources and mentors, consistent with the commands' rules. */
describe('the demo seed: resources and mentors', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ SEED_ON_EMPTY: 'true' });
    const login = await server.raw({
      query: 'mutation($input: LogInInput!) { logIn(input: $input) { token } }',
      variables: { input: { email: DEMO_EMAIL, password: DEMO_PASSWORD } },
    });
    token = (expectData(login) as { logIn: { token: string } }).logIn.token;
  });
  afterAll(() => server?.close());

  it('lists each community’s resources by endorsements, with counts that match the endorsements', async () => {
    const listed = expectData(
      await server.raw({
        query: '{ community(slug: "digital-tools") { resources(orderBy: ENDORSEMENTS) { totalCount edges { node { id title url endorsementCount } } } } }',
      }),
    ) as { community: { resources: { totalCount: number; edges: { node: { id: string; title: string; url: string; endorsementCount: number } }[] } } };
    const { totalCount, edges } = listed.community.resources;
    expect(totalCount).toBe(5);
    const counts = edges.map((e) => e.node.endorsementCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.some((c) => c > 0)).toBe(true);
    for (const edge of edges) expect(edge.node.url).toMatch(/^https:\/\//);

    const [{ n }] = await server.em().execute<{ n: string }[]>(
      `select count(*) as n from resource r where r.endorsement_count <> (select count(*) from resource_endorsement e where e.resource_id = r.id)
          or not exists (select 1 from membership m where m.member_id = r.shared_by_id and m.community_id = r.community_id and m.status = 'ACTIVE')`,
    );
    expect(Number(n)).toBe(0);
  });

  it('finds seeded resources by search, and keeps the restricted community’s resources from non-members', async () => {
    const open = expectData(await server.raw({ query: '{ search(query: "lateral reading video") { totalCount edges { node { __typename } } } }' })) as {
      search: { totalCount: number; edges: { node: { __typename: string } }[] };
    };
    expect(open.search.edges.map((e) => e.node.__typename)).toContain('Resource');
    const restricted = expectData(await server.raw({ query: '{ search(query: "diversity audit spreadsheet") { totalCount edges { node { __typename } } } }' })) as {
      search: { totalCount: number; edges: { node: { __typename: string } }[] };
    };
    expect(restricted.search.edges.map((e) => e.node.__typename)).not.toContain('Resource');
    expectError(await server.raw({ query: '{ community(slug: "diversity-equity-inclusion") { resources { totalCount } } }' }), 'FORBIDDEN');
  });

  it('offers the demo member mentors with reasons, never themselves', async () => {
    const matched = expectData(
      await server.raw(
        {
          query: 'query($input: MentorMatchInput!) { viewer { id } mentorMatches(input: $input) { score reasons mentor { id } } }',
          variables: { input: { topics: ['Coding clubs', 'Book clubs', 'Lateral reading', 'Co-teaching', 'Collection audits'], goals: 'start a coding club' } },
        },
        { token },
      ),
    ) as { viewer: { id: string }; mentorMatches: { score: number; reasons: string[]; mentor: { id: string } }[] };
    expect(matched.mentorMatches.length).toBeGreaterThan(0);
    for (const match of matched.mentorMatches) {
      expect(match.mentor.id).not.toBe(matched.viewer.id);
      expect(match.reasons.length).toBeGreaterThan(0);
      expect(match.score).toBeGreaterThan(0);
    }
  });
});
