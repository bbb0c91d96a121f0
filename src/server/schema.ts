import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { NodeResolver } from '../shared/nodes';
import { MemberResolver } from '../modules/members/member.resolver';
import { CommunityResolver } from '../modules/communities/community.resolver';
import { MemberMembershipsResolver, MembershipResolver } from '../modules/communities/membership.resolver';
import { CommunityThreadsResolver, ThreadResolver } from '../modules/discussions/thread.resolver';
import { PostResolver } from '../modules/discussions/post.resolver';
import { LiveResolver } from '../realtime/live.resolver';
import { CommunityResourcesResolver, ResourceResolver } from '../modules/resources/resource.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
import { MemberMentoringResolver, MentorProfileResolver } from '../modules/mentoring/mentorProfile.resolver';
import { MentorMatchResolver } from '../modules/mentoring/mentorMatch.resolver';
import { MentorshipCheckInResolver, MentorshipResolver } from '../modules/mentoring/mentorship.resolver';
import { MentoringGroupResolver } from '../modules/mentoring/mentoringGroup.resolver';
import { MemberNotificationsResolver, NotificationResolver } from '../modules/notifications/notification.resolver';
import { DigestResolver } from '../modules/digests/digest.resolver';
import { WebhookResolver } from '../modules/webhooks/webhook.resolver';
import { AuditEntryResolver } from '../modules/governance/audit/auditEntry.resolver';
import { SimilarCommunitiesResolver } from '../modules/governance/similarity/similarity.resolver';
import { ProposalSimilarityResolver } from '../modules/governance/proposals/proposalSimilarity.resolver';
import { CommunityHealthResolver } from '../modules/governance/health/health.resolver';
import { CommunityReviewResolver, CommunityReviewsResolver } from '../modules/governance/reviews/reviews.resolver';
import {
  CodeOfConductResolver,
  CommunityStandardResolver,
  CommunityStandardsFieldResolver,
  CommunityStandardsResolver,
  MembershipStandardsResolver,
} from '../modules/governance/standards/standards.resolver';
import {
  CommunitySupportResolver,
  DocumentFolderResolver,
  SupportRequestResolver,
} from '../modules/governance/support/support.resolver';
import { CommunityLifecycleResolver } from '../modules/governance/lifecycle/lifecycle.resolver';
import { CommunityOpenRolesResolver, MembershipRolesResolver, RoleTermResolver } from '../modules/governance/roles/roles.resolver';
import { CommunityProposalResolver } from '../modules/governance/proposals/proposal.resolver';
import { BoardMeetingResolver } from '../modules/governance/boardMeetings/boardMeeting.resolver';
import { CommunityMeetingsResolver, MeetingResolver } from '../modules/meetings/meeting/meeting.resolver';
import { CommunitySurveysResolver, SurveyResolver } from '../modules/meetings/surveys/survey.resolver';
import { SurveyQuestionResultsResolver, SurveyTextAnswerResolver } from '../modules/meetings/surveys/surveyResults.resolver';
import { CommunityRitualsResolver, RitualOccurrenceResolver, RitualResolver } from '../modules/meetings/rituals/ritual.resolver';
import { PollOptionResolver, PollResolver, ThreadPollResolver } from '../modules/discussions/polls/poll.resolver';
import { ATTEND_RESOLVERS } from '../modules/meetings/rsvp/attend.resolvers';
import { timePollResolvers } from '../modules/meetings/timePolls/timePoll.resolvers';
import { MeetingChangesResolver } from '../modules/meetings/meeting/meetingChanges.resolver';
import { RateLimitResolver } from '../limits/rateLimit.resolver';
import '../modules/registerNodes';

export const resolvers = [
  NodeResolver,
  MemberResolver,
  CommunityResolver,
  MembershipResolver,
  MemberMembershipsResolver,
  ThreadResolver,
  CommunityThreadsResolver,
  PostResolver,
  LiveResolver,
  RateLimitResolver,
  ResourceResolver,
  CommunityResourcesResolver,
  SearchResolver,
  MentorProfileResolver,
  MemberMentoringResolver,
  MentorMatchResolver,
  MentorshipResolver,
  MentorshipCheckInResolver,
  MentoringGroupResolver,
  NotificationResolver,
  MemberNotificationsResolver,
  DigestResolver,
  WebhookResolver,
  // Governance
  AuditEntryResolver,
  SimilarCommunitiesResolver,
  ProposalSimilarityResolver,
  CommunityHealthResolver,
  CommunityReviewResolver,
  CommunityReviewsResolver,
  CodeOfConductResolver,
  CommunityStandardResolver,
  CommunityStandardsResolver,
  CommunityStandardsFieldResolver,
  MembershipStandardsResolver,
  CommunitySupportResolver,
  DocumentFolderResolver,
  SupportRequestResolver,
  CommunityLifecycleResolver,
  MembershipRolesResolver,
  RoleTermResolver,
  CommunityOpenRolesResolver,
  CommunityProposalResolver,
  BoardMeetingResolver,
  MeetingResolver,
  CommunityMeetingsResolver,
  SurveyResolver,
  CommunitySurveysResolver,
  SurveyQuestionResultsResolver,
  SurveyTextAnswerResolver,
  CommunityRitualsResolver, RitualResolver, RitualOccurrenceResolver,
  ThreadPollResolver, PollResolver, PollOptionResolver,
  ...ATTEND_RESOLVERS,
  ...timePollResolvers,
  MeetingChangesResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

/** The code-first schema, built once per process; class-validator runs on every input. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...resolvers],
    // Our subscriptions bring their own `subscribe` (per-event authorisation, fresh loaders), so type-graphql's
    // topic-based PubSub is never used; it insists on having one all the same.
    pubSub: {
      publish: () => {
        throw new Error('Publish through the EventBus (services.events), not type-graphql');
      },
      subscribe: () => {
        throw new Error('Subscriptions use their own subscribe function');
      },
    },
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
  return built;
}
