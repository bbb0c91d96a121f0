import { MENTOR_MATCH_CRITERIA, type MentorMatchWeights } from '../../../config';

export type Criterion = (typeof MENTOR_MATCH_CRITERIA)[number];
export const CRITERIA = MENTOR_MATCH_CRITERIA;

/**
 * The weights one request is scored with. Without goals (or goals of stop words only) the goals criterion cannot
 * tell mentors apart, so its weight goes to the others in proportion: scores can still reach 1 and the ranking is
 * the same as with the configured weights.
 */
export function effectiveWeights(configured: MentorMatchWeights, hasGoals: boolean): MentorMatchWeights {
  if (hasGoals || configured.goals === 0) return { ...configured };
  const rest = 1 - configured.goals;
  if (rest <= 0) return { ...configured };
  return {
    topics: configured.topics / rest,
    goals: 0,
    communities: configured.communities / rest,
    capacity: configured.capacity / rest,
  };
}
