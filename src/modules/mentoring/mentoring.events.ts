import { registerEventKinds } from '../../events/registry';

type PairingRef = { pairingId: string; mentorId: string; menteeId: string };
type GroupRef = { groupId: string; mentorId: string };

/** Mentoring belongs to no community: these events carry no communityId and are never delivered to webhooks. */
declare module '../../events/registry' {
  interface DomainEvents {
    MentorProfileUpdated: { memberId: string };
    MentorshipRequested: PairingRef;
    MentorshipAnswered: PairingRef & { accepted: boolean };
    MentorshipWithdrawn: PairingRef;
    MentorshipCheckIn: PairingRef & { checkInId: string; authorId: string };
    MentorshipCompleted: PairingRef;
    MentoringGroupCreated: GroupRef;
    MentoringGroupUpdated: GroupRef;
    MentoringGroupClosed: GroupRef;
    MentoringGroupJoined: GroupRef & { memberId: string };
    MentoringGroupLeft: GroupRef & { memberId: string };
  }
}

registerEventKinds({
  MentorProfileUpdated: {},
  MentorshipRequested: {},
  MentorshipAnswered: {},
  MentorshipWithdrawn: {},
  MentorshipCheckIn: {},
  MentorshipCompleted: {},
  MentoringGroupCreated: {},
  MentoringGroupUpdated: {},
  MentoringGroupClosed: {},
  MentoringGroupJoined: {},
  MentoringGroupLeft: {},
});
