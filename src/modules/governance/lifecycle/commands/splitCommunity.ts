import type { CommandScope } from '../../../../context';
import { badField, badUserInput } from '../../../../shared/errors';
import { toGlobalId } from '../../../../shared/ids';
import { authorize, requireMember } from '../../../../shared/policy';
import type { Community } from '../../../communities/community.entity';
import { foundCommunity } from '../../../communities/commands/foundCommunity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { moveMeetingContent } from '../../../meetings/lifecycle/moveMeetingContent';
import { placeMeetingContent, type SplitMeetingLists } from '../../../meetings/lifecycle/splitPlacement';
import { copyStandards } from '../copyStandards';
import { lockActiveCommunity } from '../lockCommunity';
import { copyMemberships } from '../moveMemberships';
import { foreignIds, moveResources, moveThreads } from '../moveContent';
import { retire } from '../retire';

export interface SplitPart extends SplitMeetingLists {
  name: string;
  slug: string;
  description: string;
  topics: string[];
  /** Database IDs of threads of the original. */
  threadIds: string[];
  /** Database IDs of resources of the original (optional). */
  resourceIds?: string[];
}

/** Each ID in at most one part (a thread cannot move twice); the field names the first offender. */
type Listed = 'threadIds' | 'resourceIds' | 'meetingIds' | 'timePollIds' | 'ritualIds' | 'surveyIds';
function refuseDuplicates(parts: SplitPart[], key: Listed, type: string): void {
  const seen = new Set<string>();
  parts.forEach((part, index) => {
    for (const id of part[key] ?? []) {
      if (seen.has(id)) throw badField(`parts.${index}.${key}`, `${toGlobalId(type, id)} is listed in two parts`);
      seen.add(id);
    }
  });
  const slugs = parts.map((part) => part.slug);
  const twice = slugs.find((slug, i) => slugs.indexOf(slug) !== i);
  if (twice) throw badField(`parts.${slugs.lastIndexOf(twice)}.slug`, `"${twice}" is used by two parts`);
}

/**
 * Staff split an ACTIVE community into two or more new ones (an annual review's SPLIT), in one transaction:
 * - each part is founded (foundCommunity: standard support, CommunityCreated, audit) with the original's visibility,
 *   membership rationale and additional standards, and `splitFrom` the original;
 * - every ACTIVE and PENDING member of the original becomes a member of each part, with the same status, roles and
 *   preference (no MemberJoined: nobody joined anything; subscribers and webhooks hear of the split itself);
 * - the listed threads (with their posts) and resources move to their part, keeping their IDs; threads and resources
 *   no part lists stay in the original, which becomes RETIRED: a read-only archive whose successors are the parts;
 * - so do the listed meetings (never the ANNUAL one: each part has its own), time polls, rituals (hosted by the same
 *   members) and surveys; a poll or survey about a meeting goes where the meeting goes (see placeMeetingContent).
 *   What stays winds down with the retirement: meetings ahead cancelled, rituals paused, polls and surveys closed.
 * A thread, resource, meeting, … of another community is BAD_USER_INPUT naming it; a taken slug CONFLICT; nothing is
 * written.
 */
export async function splitCommunity(scope: CommandScope, props: { communityId: string; parts: SplitPart[] }): Promise<Community[]> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, 'Only staff can split a community');
  if (props.parts.length < 2) throw badField('parts', 'must have at least two parts');
  refuseDuplicates(props.parts, 'threadIds', 'Thread');
  refuseDuplicates(props.parts, 'resourceIds', 'Resource');
  refuseDuplicates(props.parts, 'meetingIds', 'Meeting');
  refuseDuplicates(props.parts, 'timePollIds', 'TimePoll');
  refuseDuplicates(props.parts, 'ritualIds', 'Ritual');
  refuseDuplicates(props.parts, 'surveyIds', 'Survey');
  return scope.em.transactional(async (em) => {
    const original = await lockActiveCommunity(em, props.communityId, 'communityId');
    for (const [index, part] of props.parts.entries()) {
      for (const [key, table, type] of [['threadIds', 'thread', 'Thread'], ['resourceIds', 'resource', 'Resource']] as const) {
        const foreign = await foreignIds(em, table, original.id, part[key] ?? []);
        if (foreign.length) {
          throw badUserInput(
            foreign.map((id) => ({ field: `parts.${index}.${key}`, message: `${toGlobalId(type, id)} is not a ${table} of "${original.name}"` })),
          );
        }
      }
    }
    const meetingContent = await placeMeetingContent(em, original, props.parts);
    const parts: Community[] = [];
    const moved: Record<string, unknown>[] = [];
    for (const [index, part] of props.parts.entries()) {
      const community = await foundCommunity(em, scope.services.config, actor.id, {
        name: part.name,
        slug: part.slug,
        description: part.description,
        topics: part.topics,
        visibility: original.visibility,
        membershipRationale: original.membershipRationale,
        continuationCriteria: original.continuationCriteria,
        leadId: null,
        origin: { splitFrom: original.nodeId },
      });
      community.splitFrom = original;
      community.openRoles = [...original.openRoles];
      await em.flush();
      const standards = await copyStandards(em, community.id, [original.id]);
      const members = await copyMemberships(em, original.id, community.id);
      await moveThreads(em, community.id, { threadIds: part.threadIds });
      await moveResources(em, community.id, { resourceIds: part.resourceIds ?? [] });
      // After the memberships: a moved ritual's hosts become the same members' memberships of the part.
      const meetings = await moveMeetingContent(em, actor.id, { from: original.id, to: community.id, ids: meetingContent[index]!, rehostRituals: true });
      parts.push(community);
      moved.push({ id: community.nodeId, slug: community.slug, threads: part.threadIds.length, resources: part.resourceIds?.length ?? 0, ...meetings, members, standards });
    }
    await retire(em, scope.services, actor.id, original, { change: 'SPLIT', reason: `Split into ${parts.map((p) => p.name).join(', ')}`, successors: parts, details: { parts: moved } });
    return parts;
  });
}
