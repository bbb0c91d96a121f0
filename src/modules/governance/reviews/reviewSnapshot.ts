import type { Em } from '../../../db/orm';
import type { Community } from '../../communities/community.entity';
import { communityHealth } from '../health/healthQuery';
import type { ReviewSnapshot } from './communityReview.entity';
import { reviewPeriod } from './reviewPeriod';

/** The year's health (the same SQL as Community.health) and today's continuation criteria, to be frozen in a review. */
export async function takeReviewSnapshot(em: Em, community: Community, year: number, timeZone: string, now = new Date()): Promise<ReviewSnapshot> {
  const period = await reviewPeriod(em, year, timeZone, now);
  const health = (await communityHealth(em, [community.id], period)).get(community.id)!;
  return {
    health: { ...health },
    continuationCriteria: community.continuationCriteria,
    periodStart: period.from.toISOString(),
    periodEnd: period.to.toISOString(),
    takenAt: now.toISOString(),
  };
}
