import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { recordAudit } from '../../audit/recordAudit';
import { CommunityReview, ReviewDecision, ReviewStatus } from '../communityReview.entity';
import { GOVERN_REFUSAL } from '../reviews.policy';

export interface DecideCommunityReviewProps {
  reviewId: string;
  decision: ReviewDecision;
  note?: string | null;
}

/**
 * Staff record an OPEN review's decision. Anything but CONTINUE needs a note (why, and what happens next); the
 * follow-up itself (changeCommunityFocus, splitCommunity, mergeCommunities, retireCommunity) is a separate action.
 */
export async function decideCommunityReview(scope: CommandScope, props: DecideCommunityReviewProps): Promise<CommunityReview> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, GOVERN_REFUSAL);
  const note = props.note?.trim() || null;
  if (!note && props.decision !== ReviewDecision.CONTINUE) throw badField('note', 'is required unless the decision is CONTINUE');
  return scope.em.transactional(async (em) => {
    const review = await em.findOne(CommunityReview, { id: props.reviewId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!review) throw notFound('CommunityReview');
    if (review.status !== ReviewStatus.OPEN) throw conflict(`This review was already decided (${review.decision})`);
    review.status = ReviewStatus.DECIDED;
    review.decision = props.decision;
    review.decisionNote = note;
    review.decidedBy = em.getReference(Member, actor.id);
    review.decidedAt = new Date();
    const communityId = review.community.id;
    await recordEvent(em, actor.id, { type: 'CommunityReviewDecided', communityId, reviewId: review.id, year: review.year, decision: props.decision });
    recordAudit(em, actor.id, {
      action: 'review.decided',
      subject: { type: 'CommunityReview', id: review.id },
      communityId,
      details: {
        year: review.year,
        before: { status: ReviewStatus.OPEN },
        after: { status: ReviewStatus.DECIDED, decision: props.decision },
        note,
        snapshot: review.snapshot.health,
      },
    });
    return review;
  });
}
