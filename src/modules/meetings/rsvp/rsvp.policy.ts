import { allow, verdict } from '../../../shared/policy';
import { isStaff } from '../../communities/community.policy';
import { Meeting } from '../meeting/meeting.entity';
import '../meeting/meeting.policy';

export const RSVP_REFUSAL = 'Only ACTIVE members of this community can answer its meetings';
export const ATTENDEES_REFUSAL = "Only the community's members can see who is coming";

/** Answering is writing in the community: an ACTIVE community and an ACTIVE membership (staff included: no membership, no answer). */
allow(Meeting, 'rsvp', async (actor, meeting) => verdict(actor, 'write', await actor.community(meeting.community.id)));

/**
 * Who answered GOING (and who attended) names people: the community's ACTIVE members see it, and staff (they
 * supervise every community); everyone else who may read the meeting sees only the counts.
 */
allow(Meeting, 'readAttendees', async (actor, meeting) => {
  if (isStaff(actor.member)) return true;
  return verdict(actor, 'belong', await actor.community(meeting.community.id));
});
