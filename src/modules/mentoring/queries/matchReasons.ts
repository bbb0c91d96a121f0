import type { ScoredMentor } from './findMentorMatches';

/** A topic held by at most this share of mentor profiles is called rare. */
export const RARE_TOPIC_SHARE = 0.1;
/** Sentences about shared topics, at most. */
const MAX_TOPIC_REASONS = 3;

const quoted = (words: string[]) => {
  const list = words.map((w) => `'${w}'`);
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
};

const percent = (share: number) => (share < 0.01 ? 'under 1%' : `${Math.round(share * 100)}%`);

/** Human sentences saying why a mentor was offered, one or more per criterion that counted. */
export function matchReasons(match: ScoredMentor): string[] {
  const reasons: string[] = [];
  for (const topic of match.sharedTopics.slice(0, MAX_TOPIC_REASONS)) {
    const share = match.profileCount > 0 ? topic.mentorCount / match.profileCount : 1;
    reasons.push(
      share <= RARE_TOPIC_SHARE
        ? `Shares your rare topic '${topic.topic}' (${percent(share)} of mentors offer it)`
        : `Shares your topic '${topic.topic}'`,
    );
  }
  const more = match.sharedTopics.length - MAX_TOPIC_REASONS;
  if (more > 0) reasons.push(`Shares ${more} more of your topics`);

  if (match.matchedGoalWords.length > 0) {
    reasons.push(
      `Their bio and topics mention ${quoted(match.matchedGoalWords)} from your goals ` +
        `(${match.matchedGoalWords.length} of ${match.goalWordCount} key words)`,
    );
  }
  if (match.sharedCommunities > 0) {
    reasons.push(`${match.sharedCommunities} ${match.sharedCommunities === 1 ? 'community' : 'communities'} in common`);
  }
  const { capacity, freePlaces } = match.profile;
  reasons.push(`Has ${freePlaces} of ${capacity} ${capacity === 1 ? 'place' : 'places'} free`);
  return reasons;
}
