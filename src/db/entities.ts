import { Member } from '../modules/members/member.entity';
import { Community } from '../modules/communities/community.entity';
import { Membership } from '../modules/communities/membership.entity';
import { Thread } from '../modules/discussions/thread.entity';
import { Post } from '../modules/discussions/post.entity';
import { Reaction } from '../modules/discussions/reaction.entity';
import { LiveEventRecord, LiveStreamRecord } from '../realtime/liveEvent.entity';
import { Resource } from '../modules/resources/resource.entity';
import { ResourceEndorsement } from '../modules/resources/endorsement.entity';
import { MentorMatchChange, MentorMatchCounter, MentorProfile, MentorTopicStat } from '../modules/mentoring/mentorProfile.entity';
import { MentorshipCheckIn, MentorshipPairing } from '../modules/mentoring/mentorshipPairing.entity';
import { MentoringGroup, MentoringGroupMember } from '../modules/mentoring/mentoringGroup.entity';
import { DomainEventRecord } from '../events/domainEvent.entity';
import { ScheduledRun } from '../jobs/scheduledRun.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { MailMessage } from '../mail/mailMessage.entity';
import { DigestDelivery } from '../modules/digests/digestDelivery.entity';
import { Webhook } from '../modules/webhooks/webhook.entity';
import { WebhookDelivery } from '../modules/webhooks/webhookDelivery.entity';
import { AuditEntry } from '../modules/governance/audit/auditEntry.entity';
import { CommunityStandard } from '../modules/governance/standards/communityStandard.entity';
import { CommunityReview } from '../modules/governance/reviews/communityReview.entity';
import { CodeOfConduct } from '../modules/governance/standards/codeOfConduct.entity';
import { SupportRequest } from '../modules/governance/support/supportRequest.entity';
import { RoleTerm } from '../modules/governance/roles/roleTerm.entity';
import { CommunityProposal } from '../modules/governance/proposals/communityProposal.entity';
import { BoardMeeting } from '../modules/governance/boardMeetings/boardMeeting.entity';
import { Meeting } from '../modules/meetings/meeting/meeting.entity';
import { MeetingRsvp } from '../modules/meetings/meeting/meetingRsvp.entity';
import { SURVEY_ENTITIES } from '../modules/meetings/surveys/surveyAnswer.entity';
import { Ritual, RitualOccurrence } from '../modules/meetings/rituals/ritual.entity';
import { Poll, PollBallot, PollOption } from '../modules/discussions/polls/poll.entities';
import { ATTEND_ENTITIES } from '../modules/meetings/rsvp/attend.entities';
import { timePollEntities } from '../modules/meetings/timePolls/timePoll.entities';
import { MeetingReminder } from '../modules/meetings/reminders/meetingReminder.entity';

/** Listed explicitly: MikroORM's folder discovery needs fs.globSync, which Node 20 lacks. */
export const entities = [
  Member,
  Community,
  Membership,
  Thread,
  Post,
  Reaction,
  LiveEventRecord,
  LiveStreamRecord,
  // Resources
  Resource,
  ResourceEndorsement,
  // Mentoring
  MentorProfile,
  MentorTopicStat,
  MentorMatchChange,
  MentorMatchCounter,
  MentorshipPairing,
  MentorshipCheckIn,
  MentoringGroup,
  MentoringGroupMember,
  // Events and jobs
  DomainEventRecord,
  ScheduledRun,
  // Notifications
  Notification,
  // Mail and digests
  MailMessage,
  DigestDelivery,
  // Webhooks
  Webhook,
  WebhookDelivery,
  // Governance
  AuditEntry,
  CommunityStandard,
  CommunityReview,
  CodeOfConduct,
  SupportRequest,
  RoleTerm,
  CommunityProposal,
  BoardMeeting,
  // Meetings
  Meeting,
  MeetingRsvp,
  ...SURVEY_ENTITIES,
  Ritual, RitualOccurrence,
  Poll, PollOption, PollBallot, // thread polls
  ...ATTEND_ENTITIES,
  ...timePollEntities,
  MeetingReminder,
];
