import { registerEventKinds } from '../../../events/registry';

type ReviewRef = { communityId: string; reviewId: string; year: number };

declare module '../../../events/registry' {
  interface DomainEvents {
    CommunityReviewStarted: ReviewRef;
    CommunityReviewDecided: ReviewRef & { decision: string };
  }
}

// Governance records: not live, not webhook event types (reviews are for staff, board and the community's leads).
registerEventKinds({
  CommunityReviewStarted: {},
  CommunityReviewDecided: {},
});
