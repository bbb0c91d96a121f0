import { allow, can, type Actor } from '../../shared/policy';
import { forbidden, unauthenticated } from '../../shared/errors';
import { hasOrgAbility } from '../members/organisation.policy';
import { Member } from '../members/member.entity';
import { MentorProfile } from './mentorProfile.entity';
import { MentorshipPairing } from './mentorshipPairing.entity';
import { MentoringGroup } from './mentoringGroup.entity';

/*
 * Who may see and do what in mentoring.
 *
 * Mentor profiles and mentoring groups (with their member lists) are for signed-in members: the program is for
 * the association's members, and who mentors what is not for anonymous scraping. Anonymous readers are asked to
 * sign in (UNAUTHENTICATED) rather than told FORBIDDEN, since signing in is all they need.
 *
 * Pairings and their check-ins are private to the two participants. Nobody else sees them, staff included:
 * check-ins hold personal notes, and the program needs no oversight role to work. (Should a coordinator role be
 * wanted later, it gets its own action here rather than a quiet exception.) A check-in is readable exactly when
 * its pairing is.
 */

const signedIn = (actor: Actor) => !!actor.member;

allow(MentorProfile, 'read', signedIn);

/** A member's list of pairings: the member themself only. */
allow(Member, 'readMentorships', (actor, member) => actor.member?.id === member.id);

allow(MentorshipPairing, 'read', (actor, pairing) => pairing.isParticipant(actor.member?.id));

/** Accepting or declining a proposal is the mentor's decision. */
allow(MentorshipPairing, 'respond', (actor, pairing) => actor.member?.id === pairing.mentor.id);

/** Withdrawing a proposal is the mentee's: it was their request. */
allow(MentorshipPairing, 'withdraw', (actor, pairing) => actor.member?.id === pairing.mentee.id);

/** Check-ins and completion: either participant. */
allow(MentorshipPairing, ['checkIn', 'complete'], (actor, pairing) => pairing.isParticipant(actor.member?.id));

allow(MentoringGroup, 'read', signedIn);

/** A group's mentor edits it (capacity, description). */
allow(MentoringGroup, 'update', (actor, group) => actor.member?.id === group.mentor.id);

/** Its mentor closes a group, and so may staff (a group whose mentor has gone quiet, or moderation). */
allow(MentoringGroup, 'close', (actor, group) => actor.member?.id === group.mentor.id || hasOrgAbility(actor.member, 'superviseMentoring'));

/** Any signed-in member but the group's own mentor, who leads it rather than joins it. */
allow(MentoringGroup, 'join', (actor, group) => signedIn(actor) && actor.member!.id !== group.mentor.id);

/** Mentoring lists (profiles, groups) are read by signed-in members only. */
export function requireMentoringReader(actor: Actor): void {
  if (!signedIn(actor)) throw unauthenticated('Sign in to see mentoring');
}

/**
 * Reads a mentoring object the way every path must: anonymous viewers are asked to sign in (UNAUTHENTICATED),
 * signed-in viewers without the right get FORBIDDEN.
 */
export async function authorizeMentoringRead(actor: Actor, subject: object, message: string): Promise<void> {
  if (await can(actor, 'read', subject)) return;
  throw actor.member ? forbidden(message) : unauthenticated('Sign in to see mentoring');
}

/** Pairing actions: anonymous is UNAUTHENTICATED; anyone but the right participant is FORBIDDEN. */
const PAIRING_REFUSALS = {
  respond: 'Only the mentor can accept or decline',
  withdraw: 'Only the mentee who asked can withdraw the request',
  checkIn: 'Only the two participants can do this',
  complete: 'Only the two participants can do this',
};

export async function authorizePairing(actor: Actor, action: keyof typeof PAIRING_REFUSALS, pairing: MentorshipPairing): Promise<void> {
  if (!actor.member) throw unauthenticated();
  if (await can(actor, action, pairing)) return;
  throw forbidden(PAIRING_REFUSALS[action]);
}
