import { allow, authorize, type Actor } from '../../../shared/policy';
import { unauthenticated } from '../../../shared/errors';
import { BoardMeeting } from './boardMeeting.entity';

/**
 * Board meetings are read by every signed-in member: a proposer needs to know when their proposal is reviewed (and
 * when it is due), and the dates say nothing about any proposal. Anonymous readers are asked to sign in.
 * Scheduling is the organisation ability `scheduleBoardMeeting`.
 */
allow(BoardMeeting, 'read', (actor) => !!actor.member);

export async function authorizeBoardMeetingRead(actor: Actor, meeting: BoardMeeting): Promise<void> {
  if (!actor.member) throw unauthenticated('Sign in to see board meetings');
  await authorize(actor, 'read', meeting);
}
