import { ConfigError, DEFAULT_MENTOR_MATCH_WEIGHTS, parseMentorMatchWeights } from '../../src/config';
import { MentorMatchesDocument } from '../generated/graphql';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { MentoringFactories, MentorshipStatus } from './factories';

describe('MENTOR_MATCH_WEIGHTS', () => {
  it('defaults to the documented weights, which sum to 1', () => {
    expect(parseMentorMatchWeights(undefined)).toEqual(DEFAULT_MENTOR_MATCH_WEIGHTS);
    expect(parseMentorMatchWeights('  ')).toEqual(DEFAULT_MENTOR_MATCH_WEIGHTS);
    const { topics, goals, communities, capacity } = DEFAULT_MENTOR_MATCH_WEIGHTS;
    expect(topics + goals + communities + capacity).toBeCloseTo(1, 12);
  });

  it('normalises relative weights to sum to 1; a criterion left out counts 0', () => {
    expect(parseMentorMatchWeights('{"topics": 3, "goals": 1}')).toEqual({ topics: 0.75, goals: 0.25, communities: 0, capacity: 0 });
    expect(parseMentorMatchWeights('{"topics": 2, "goals": 2, "communities": 2, "capacity": 2}')).toEqual({
      topics: 0.25,
      goals: 0.25,
      communities: 0.25,
      capacity: 0.25,
    });
  });

  it.each([
    ['not JSON', '{topics: 1}'],
    ['an array', '[1, 2]'],
    ['an unknown criterion', '{"topics": 1, "seniority": 1}'],
    ['a negative weight', '{"topics": 1, "goals": -0.5}'],
    ['a string weight', '{"topics": "1"}'],
    ['all weights 0', '{"topics": 0, "goals": 0}'],
    ['an empty object', '{}'],
  ])('refuses %s at startup', (_name, raw) => {
    expect(() => parseMentorMatchWeights(raw)).toThrow(ConfigError);
  });
});

/**
 * The same data on two servers with different weights: the mentor with every place free and the mentor with
 * three communities in common (but one place in four free) swap places.
 */
describe('weights from configuration decide the ranking', () => {
  async function rankingWith(weights: string | undefined) {
    const server: TestServer = await startTestServer(weights === undefined ? {} : { MENTOR_MATCH_WEIGHTS: weights });
    try {
      const mentoring = new MentoringFactories(server);
      const viewer = await server.factories.member();
      const free = await mentoring.mentor({ topics: ['cataloguing'], capacity: 1, displayName: 'Free' });
      const connected = await mentoring.mentor({ topics: ['cataloguing'], capacity: 4, displayName: 'Connected' });
      for (let i = 0; i < 3; i++) await mentoring.pairing(connected, await server.factories.member(), MentorshipStatus.ACTIVE);
      for (let i = 0; i < 3; i++) {
        const community = await server.factories.community();
        await server.factories.membership(viewer, community);
        await server.factories.membership(connected, community);
      }
      const found = expectData(await server.gql(MentorMatchesDocument, { input: { topics: ['cataloguing'] } }, { token: viewer.token })).mentorMatches;
      expect(found.map((m) => m.mentor.id).sort()).toEqual([free.id, connected.id].sort());
      for (const match of found) {
        expect(match.score).toBeCloseTo(match.contributions.reduce((sum, c) => sum + c.weight * c.value, 0), 12);
      }
      return { names: found.map((m) => m.mentor.displayName), weights: found[0]!.contributions.map((c) => [c.criterion, c.weight]) };
    } finally {
      await server.close();
    }
  }

  it('ranks by free places when capacity weighs most, and by communities when they do', async () => {
    const byCapacity = await rankingWith('{"topics": 1, "capacity": 1}');
    expect(byCapacity.names).toEqual(['Free', 'Connected']);
    expect(byCapacity.weights).toEqual([
      ['TOPICS', 0.5],
      ['GOALS', 0],
      ['COMMUNITIES', 0],
      ['CAPACITY', 0.5],
    ]);
    const byCommunities = await rankingWith('{"topics": 1, "communities": 1}');
    expect(byCommunities.names).toEqual(['Connected', 'Free']);
    // The defaults (no goals given: goals' weight shared out) favour three communities over three free places.
    const byDefault = await rankingWith(undefined);
    expect(byDefault.names).toEqual(['Connected', 'Free']);
  });
});
