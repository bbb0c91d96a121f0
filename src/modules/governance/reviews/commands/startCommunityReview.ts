import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { Community, CommunityStatus } from '../../../communities/community.entity';
import { recordAudit } from '../../audit/recordAudit';
import { CommunityReview } from '../communityReview.entity';
import { GOVERN_REFUSAL } from '../reviews.policy';
import { currentYear } from '../reviewPeriod';
import { takeReviewSnapshot } from '../reviewSnapshot';

export interface StartCommunityReviewProps {
  communityId: string;
  year: number;
}

/** The first year a review may cover (nothing in PracticeHub predates it). */
export const FIRST_REVIEW_YEAR = 2000;

const duplicate = (year: number) => conflict(`This community already has a review for ${year}`);

/**
 * Staff open a community's annual review: its health over the calendar year (to now, for the current year) and its
 * continuation criteria are frozen into the review at this moment, so later activity does not move what is judged.
 * One review per community and year (CONFLICT); the year may not be in the future.
 */
export async function startCommunityReview(scope: CommandScope, props: StartCommunityReviewProps): Promise<CommunityReview> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, GOVERN_REFUSAL);
  const timeZone = scope.services.config.orgTimeZone;
  if (!Number.isInteger(props.year) || props.year < FIRST_REVIEW_YEAR) throw badField('year', `must be ${FIRST_REVIEW_YEAR} or later`);
  if (props.year > currentYear(timeZone)) throw badField('year', 'must not be in the future');
  const community = await scope.actor.community(props.communityId);
  if (community.status !== CommunityStatus.ACTIVE) throw badField('communityId', 'is retired: only active communities are reviewed');
  try {
    return await scope.em.transactional(async (em) => {
      const [existing] = await em.execute('select 1 from community_review where community_id = ? and year = ?', [community.id, props.year]);
      if (existing) throw duplicate(props.year);
      const review = new CommunityReview();
      review.community = em.getReference(Community, community.id);
      review.year = props.year;
      review.startedBy = em.getReference(Member, actor.id);
      review.snapshot = await takeReviewSnapshot(em, community, props.year, timeZone, review.startedAt);
      em.persist(review);
      await recordEvent(em, actor.id, { type: 'CommunityReviewStarted', communityId: community.id, reviewId: review.id, year: review.year });
      recordAudit(em, actor.id, {
        action: 'review.started',
        subject: { type: 'CommunityReview', id: review.id },
        communityId: community.id,
        details: { year: review.year, snapshot: review.snapshot.health, continuationCriteria: review.snapshot.continuationCriteria },
      });
      return review;
    });
  } catch (error) {
    // Two staff starting the same review at once: the unique key lets one through.
    if (error instanceof UniqueConstraintViolationException) throw duplicate(props.year);
    throw error;
  }
}
