import type { MentorMatchWeights } from '../../../config';
import type { Context } from '../../../context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { DEFAULT_MATCHES, type MentorMatchInput } from '../mentoring.inputs';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MATCH_POSITION_SQL, MentorProfile, profileColumns } from '../mentorProfile.entity';
import { normalizeTopics } from '../topics';
import { matchContext, type MatchContext, type TopicRarity } from './matchContext';
import type { IndexedMentor, MentorMatchIndex } from './mentorMatchIndex';
import { effectiveWeights, type Criterion } from './matchWeights';

/** Shared communities count up to this many: the third one in common still says something, the tenth not much. */
export const COMMUNITY_SATURATION = 3;

export interface ScoredMentor {
  profile: MentorProfile;
  score: number;
  weights: MentorMatchWeights;
  values: Record<Criterion, number>;
  /** Requested topics the mentor holds, rarest first. */
  sharedTopics: TopicRarity[];
  profileCount: number;
  sharedCommunities: number;
  /** Goal words whose lexemes the mentor's bio and topics contain. */
  matchedGoalWords: string[];
  goalWordCount: number;
}

/** A fresh ranking is tried this many times when mentors change while it is read; the last is then filtered. */
const MAX_ATTEMPTS = 3;

/**
 * Mentors for the viewer, best first. Per candidate, each criterion is a value in 0..1:
 *
 * - topics: the requested topics the mentor holds, each weighted by its inverse document frequency over all
 *   mentor profiles (ln(1 + profiles / holders)), as a share of the requested topics' total (topics no mentor
 *   holds are left out of the total). Sharing a rare topic therefore counts more than sharing a common one.
 * - goals: the share of the goals' distinct lexemes (English stemming, no stop words) found in the mentor's bio
 *   and topics.
 * - communities: ACTIVE communities both are ACTIVE members of, up to COMMUNITY_SATURATION, as a share of it.
 * - capacity: free places as a share of capacity.
 *
 * The score is Σ weight × value (see effectiveWeights); ties go to the smaller profile id.
 *
 * How it scales: candidates (available profiles sharing a requested topic, never the viewer nor anyone with an
 * open pairing with them) are scored exactly, in memory, from this instance's MentorMatchIndex, which the first
 * statement's change-log position brings up to date. Scoring in SQL scanned every candidate in PostgreSQL; for a
 * topic half the mentors hold that was ~13,000 rows and most of the request time (BENCHMARKS.md). Only the best
 * `first` are then read from PostgreSQL, in a statement that also reads the log position again: when mentors
 * changed meanwhile, the ranking is redone on the newer state, so the answer is what one moment's data gives.
 */
export async function findMentorMatches(ctx: Context, input: MentorMatchInput): Promise<ScoredMentor[]> {
  const viewer = requireMember(ctx.actor);
  const topics = normalizeTopics(input.topics);
  const first = input.first ?? DEFAULT_MATCHES;
  const context = await matchContext(ctx.em, viewer.id, topics, input.goals?.trim() || null);
  const held = context.topics.filter((t) => t.mentorCount > 0);
  if (held.length === 0) return [];
  const weights = effectiveWeights(ctx.services.config.mentorMatchWeights, context.goalWords.length > 0);
  const index = ctx.services.mentorMatchIndex;

  let position = context.matchPosition;
  for (let attempt = 1; ; attempt++) {
    await index.catchUp(ctx.em, position);
    const rankedAt = index.currentPosition;
    const ranked = rankMentors(index, viewer.id, held, context, weights, first);
    // Numbered by the dictionary the ranked mentors were numbered by: a reload while their profiles load (another
    // request's) starts new dictionaries.
    const goalIds = context.goalWords.map((w) => index.lexemeId(w.lexeme) ?? -1);
    if (ranked.length === 0) return [];
    const { rows, position: now } = await loadProfiles(ctx, ranked);
    const agreed = ranked.filter((r) => agrees(r.mentor, rows.get(r.mentor.profileId)));
    if ((agreed.length === ranked.length && now === rankedAt) || attempt === MAX_ATTEMPTS) {
      // Only after MAX_ATTEMPTS can a mentor have changed since ranking: they are left out rather than offered with
      // a score that no longer holds.
      return agreed.map((r) => toScoredMentor(ctx, r, rows.get(r.mentor.profileId)!, weights, held, context, goalIds));
    }
    // Same position yet PostgreSQL disagrees: a write went round the change log (see MentorProfile). Start over.
    if (now === rankedAt) index.invalidate();
    position = now;
  }
}

/** The profile as read from PostgreSQL is available and is what the index scored. */
function agrees(mentor: IndexedMentor, row: ProfileRow | undefined): boolean {
  return (
    !!row &&
    row.accepting_mentees &&
    row.capacity === mentor.capacity &&
    row.capacity - row.active_mentee_count === mentor.freePlaces &&
    mentor.freePlaces > 0 &&
    row.topics.length === mentor.topics.length &&
    row.topics.every((topic, i) => topic === mentor.topics[i])
  );
}

interface Ranked {
  mentor: IndexedMentor;
  values: Record<Criterion, number>;
  score: number;
}

/** Higher score first, then the smaller profile id (PostgreSQL's uuid order is the hex text order). */
const ranksBefore = (score: number, profileId: string, other: Ranked) =>
  score > other.score || (score === other.score && profileId < other.mentor.profileId);

/**
 * The best `first` candidates, exactly scored. Each candidate is touched once, with typed-array reads only; the
 * best list is kept sorted and most candidates fail its threshold at once.
 */
function rankMentors(
  index: MentorMatchIndex,
  viewerId: string,
  held: TopicRarity[],
  context: MatchContext,
  weights: MentorMatchWeights,
  first: number,
): Ranked[] {
  const idfTotal = held.reduce((sum, t) => sum + t.idf, 0);
  const shares = held.map((t) => t.idf / idfTotal);
  // Which requested topics a topic number is: bit i for held[i]. Sized by the topic dictionary, which reloads
  // keep near the topics mentors hold.
  const heldBits = new Int32Array(index.topicCount);
  held.forEach((t, i) => {
    const id = index.topicId(t.topic);
    if (id !== undefined) heldBits[id]! |= 1 << i;
  });
  const slots = index.slotCount;
  // Goal hits per slot, from each goal word's mentors: proportional to how common the words are, not to candidates.
  const goalHits = new Uint8Array(slots);
  for (const { lexeme } of context.goalWords) {
    const holders = index.slotsWithLexeme(lexeme);
    for (let h = 0; h < holders.length; h++) goalHits[holders[h]!]!++;
  }
  const shared = new Uint8Array(slots);
  for (const [memberId, count] of context.sharedCommunities) {
    const mentor = index.mentorOf(memberId);
    if (mentor) shared[mentor.slot] = Math.min(count, COMMUNITY_SATURATION);
  }
  // Seen (or excluded: the viewer, open partners) slots; a mentor holding several requested topics is scored once.
  const seen = new Uint8Array(slots);
  for (const memberId of [viewerId, ...context.openPartners]) {
    const mentor = index.mentorOf(memberId);
    if (mentor) seen[mentor.slot] = 1;
  }
  const goalCount = context.goalWords.length;
  const { topics: wTopics, goals: wGoals, communities: wCommunities, capacity: wCapacity } = weights;
  const best: Ranked[] = [];

  for (const topic of held) {
    const mentors = index.mentorsWithTopic(topic.topic);
    for (let m = 0; m < mentors.length; m++) {
      const mentor = mentors[m]!;
      if (!mentor.alive || seen[mentor.slot]) continue;
      seen[mentor.slot] = 1;
      let topics = 1;
      if (held.length > 1) {
        let bits = 0;
        // Indexed loops: for-of over a typed array measured three times slower here.
        const topicIds = mentor.topicIds;
        for (let t = 0; t < topicIds.length; t++) bits |= heldBits[topicIds[t]!]!;
        // Summed in the requested order, so the value does not depend on the order of the mentor's topics.
        topics = 0;
        for (let i = 0; i < held.length; i++) if (bits & (1 << i)) topics += shares[i]!;
      }
      const goals = goalCount > 0 ? goalHits[mentor.slot]! / goalCount : 0;
      const communities = shared[mentor.slot]! / COMMUNITY_SATURATION;
      const capacity = mentor.freePlaces / mentor.capacity;
      // Σ weight × value in the criteria's order (the contributions a client sees add up to it).
      const score = wTopics * topics + wGoals * goals + wCommunities * communities + wCapacity * capacity;
      if (best.length === first) {
        if (!ranksBefore(score, mentor.profileId, best[first - 1]!)) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && ranksBefore(score, mentor.profileId, best[at - 1]!)) at--;
      best.splice(at, 0, { mentor, values: { topics, goals, communities, capacity }, score });
    }
  }
  return best;
}

interface ProfileRow {
  id: string;
  created_at: string;
  member_id: string;
  topics: string[];
  capacity: number;
  active_mentee_count: number;
  bio: string | null;
  accepting_mentees: boolean;
  updated_at: string;
  member_row: Record<string, unknown>;
  position: string;
}

/** The ranked mentors' profiles and members in one statement, with the change-log position they were read at. */
async function loadProfiles(ctx: Context, ranked: Ranked[]): Promise<{ rows: Map<string, ProfileRow>; position: number }> {
  const rows = await ctx.em.execute<ProfileRow[]>(
    `select ${profileColumns('p')}, row_to_json(mb.*) as member_row, c.position
     from (select ${MATCH_POSITION_SQL} as position) c
     left join (mentor_profile p join member mb on mb.id = p.member_id) on p.id in (?)`,
    [ranked.map((r) => r.mentor.profileId)],
  );
  const position = Number(rows[0]?.position ?? 0);
  return { rows: new Map(rows.filter((row) => row.id).map((row) => [row.id, row])), position };
}

function toScoredMentor(
  ctx: Context,
  ranked: Ranked,
  row: ProfileRow,
  weights: MentorMatchWeights,
  held: TopicRarity[],
  context: MatchContext,
  goalIds: number[],
): ScoredMentor {
  const { member_row, position, ...columns } = row;
  const profile = ctx.em.map(MentorProfile, columns);
  mentorProfileOfMemberLoader(ctx.loaders).prime(row.member_id, profile);
  // The mentor comes in the same statement: MentorMatch.mentor then costs no query.
  const mentor = ctx.em.map(Member, member_row);
  ctx.loaders.byId(Member).prime(mentor.id, mentor);
  const mentorTopics = new Set(ranked.mentor.topics);
  return {
    profile,
    weights,
    values: ranked.values,
    score: ranked.score,
    sharedTopics: held.filter((t) => mentorTopics.has(t.topic)).sort((a, b) => a.mentorCount - b.mentorCount || a.topic.localeCompare(b.topic)),
    profileCount: context.profileCount,
    sharedCommunities: context.sharedCommunities.get(row.member_id) ?? 0,
    matchedGoalWords: context.goalWords.filter((_, i) => ranked.mentor.lexemeIds.includes(goalIds[i]!)).map((w) => w.word),
    goalWordCount: context.goalWords.length,
  };
}
