import { allow, authorize, can, verdict, type Actor } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { CommunityRole } from '../../communities/membership.entity';
import { hasRole, isStaff, readOnlyRefusal } from '../../communities/community.policy';
import { Survey } from './survey.entity';

/** Who organises a community's surveys (the same people who request its support, see support.policy). */
const ORGANISERS = [CommunityRole.LEAD, CommunityRole.MEETING_COORDINATOR, CommunityRole.EVENT_COORDINATOR];
const organises = async (actor: Actor, community: Community) => isStaff(actor.member) || hasRole(actor, community, ...ORGANISERS);

/** A community's ACTIVE LEADs, meeting and event coordinators, and staff create and close surveys, in an ACTIVE community. */
allow(Community, 'runSurveys', async (actor, community) => readOnlyRefusal(community) ?? (await organises(actor, community)));

/** A survey is the community's content: OPEN to all, RESTRICTED to its ACTIVE members and staff. */
allow(Survey, 'read', async (actor, survey) => can(actor, 'readContent', await actor.community(survey.community.id)));

allow(Survey, 'close', async (actor, survey) => verdict(actor, 'runSurveys', await actor.community(survey.community.id)));

/** Results: the organisers and staff only, also once the community is retired (its archive stays theirs to read). */
allow(Survey, 'readResults', async (actor, survey) => organises(actor, await actor.community(survey.community.id)));

/**
 * ACTIVE members of an ACTIVE community. Whether it is still open is the survey's state, not a right: the command
 * asks under the survey's lock (a closed survey is CONFLICT, as is a second response).
 */
allow(Survey, 'respond', async (actor, survey) => verdict(actor, 'write', await actor.community(survey.community.id)));

export const READ_REFUSAL = 'This community is for members only';
export const RESULTS_REFUSAL = "Only the community's lead, meeting and event coordinators, and staff can see a survey's results";
export const RUN_REFUSAL = "Only the community's lead, meeting and event coordinators, and staff can create and close surveys";

export const authorizeReadSurvey = (actor: Actor, survey: Survey) => authorize(actor, 'read', survey, READ_REFUSAL);
