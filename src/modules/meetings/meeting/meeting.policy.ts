import { allow, verdict } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { CommunityRole } from '../../communities/membership.entity';
import { hasRole, isStaff, readOnlyRefusal } from '../../communities/community.policy';
import { Meeting } from './meeting.entity';

export const SCHEDULE_REFUSAL = "Only the community's meeting and event coordinators, its lead and staff can schedule its meetings";
export const ANNUAL_REFUSAL = "Only staff set the annual meeting's time and place";
export const READ_REFUSAL = 'This community is for members only';

/** Meeting and event coordinators, LEADs and staff organise a community's meetings; retired communities hold none. */
allow(Community, 'scheduleMeetings', async (actor, community) => {
  const refusal = readOnlyRefusal(community);
  if (refusal) return refusal;
  return isStaff(actor.member) || hasRole(actor, community, CommunityRole.LEAD, CommunityRole.MEETING_COORDINATOR, CommunityRole.EVENT_COORDINATOR);
});

/** The ANNUAL meeting belongs to the organisation: staff schedule and set it (the API creates one every year). */
allow(Community, 'scheduleAnnualMeeting', (actor, community) => readOnlyRefusal(community) ?? isStaff(actor.member));

/** A meeting is the community's content: whoever reads its threads reads its meetings (RESTRICTED: members, staff). */
allow(Meeting, 'read', async (actor, meeting) => verdict(actor, 'readContent', await actor.community(meeting.community.id)));

/** Changing a meeting: its community's organisers; the ANNUAL meeting is the organisation's, so staff only. */
allow(Meeting, 'organise', async (actor, meeting) => {
  const community = await actor.community(meeting.community.id);
  return verdict(actor, meeting.isAnnual ? 'scheduleAnnualMeeting' : 'scheduleMeetings', community);
});

export const ORGANISE_REFUSAL = "Only the community's meeting and event coordinators, its lead and staff can change its meetings (the annual meeting: staff)";
