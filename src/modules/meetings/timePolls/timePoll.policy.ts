import { allow, verdict } from '../../../shared/policy';
import { TimePoll } from './timePoll.entity';
// Registers the `scheduleMeetings` rule the rules below build on.
import '../meeting/meeting.policy';

export const CREATE_REFUSAL = "Only the community's meeting and event coordinators, its lead and staff can run its time polls";
export const CLOSE_REFUSAL = "Only the poll's creator, the community's meeting and event coordinators, its lead and staff can close it";
export const ANSWER_REFUSAL = 'Only ACTIVE members of the community can answer its time polls';
export const READ_REFUSAL = 'This community is for members only';

/** A time poll (and its options) is the community's content: whoever reads its threads reads its polls (RESTRICTED: members, staff). */
allow(TimePoll, 'read', async (actor, poll) => verdict(actor, 'readContent', await actor.community(poll.community.id)));

/** Answering is writing in the community: its ACTIVE members, while it is ACTIVE. */
allow(TimePoll, 'answer', async (actor, poll) => verdict(actor, 'write', await actor.community(poll.community.id)));

/**
 * Closing: whoever may schedule the community's meetings, and the poll's creator while an ACTIVE member (they chose
 * the times; a coordinator who stepped down can still finish their poll, though scheduling the meeting needs the role).
 */
allow(TimePoll, 'close', async (actor, poll) => {
  const community = await actor.community(poll.community.id);
  const organiser = await verdict(actor, 'scheduleMeetings', community);
  if (organiser !== false) return organiser;
  return !!actor.member && actor.member.id === poll.createdBy?.id && (await verdict(actor, 'write', community));
});
