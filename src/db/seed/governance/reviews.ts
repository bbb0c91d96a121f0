import type { Community } from '../../../modules/communities/community.entity';
import type { Member } from '../../../modules/members/member.entity';
import { recordAudit } from '../../../modules/governance/audit/recordAudit';
import { CommunityReview, ReviewDecision, ReviewStatus } from '../../../modules/governance/reviews/communityReview.entity';
import { takeReviewSnapshot } from '../../../modules/governance/reviews/reviewSnapshot';
import type { Em } from '../../orm';

/** The demo's year boundaries (ORG_TIME_ZONE's default); the seed runs before any configuration reaches it. */
const DEMO_TIME_ZONE = 'America/Chicago';

/**
 * Last year's annual review of the reading-promotion community, started and decided CONTINUE by the demo staff
 * member, with its real (frozen) health snapshot and the audit entries the commands would have written.
 */
export async function seedReviews(em: Em, props: { community: Community; staff: Member; now: number }): Promise<void> {
  // The snapshot is computed in SQL over what the seed has written so far.
  await em.flush();
  const now = new Date(props.now);
  const year = now.getUTCFullYear() - 1;
  const review = new CommunityReview();
  review.community = props.community;
  review.year = year;
  review.startedBy = props.staff;
  review.startedAt = new Date(props.now - 3 * 86_400_000);
  review.snapshot = await takeReviewSnapshot(em, props.community, year, DEMO_TIME_ZONE, review.startedAt);
  review.status = ReviewStatus.DECIDED;
  review.decision = ReviewDecision.CONTINUE;
  review.decisionNote = 'A busy first season: the monthly book club and the reading challenge carry on. Recruit an event coordinator for the author visit.';
  review.decidedBy = props.staff;
  review.decidedAt = new Date(props.now - 86_400_000);
  em.persist(review);
  const subject = { type: 'CommunityReview', id: review.id };
  recordAudit(em, props.staff.id, { action: 'review.started', subject, communityId: props.community.id, details: { year, snapshot: review.snapshot.health } }).createdAt =
    review.startedAt;
  recordAudit(em, props.staff.id, {
    action: 'review.decided',
    subject,
    communityId: props.community.id,
    details: { year, before: { status: ReviewStatus.OPEN }, after: { status: ReviewStatus.DECIDED, decision: review.decision }, note: review.decisionNote, snapshot: review.snapshot.health },
  }).createdAt = review.decidedAt;
}
