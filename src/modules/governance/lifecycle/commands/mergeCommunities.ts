import type { CommandScope } from '../../../../context';
import { badField } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { CommunityVisibility, type Community } from '../../../communities/community.entity';
import { foundCommunity } from '../../../communities/commands/foundCommunity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { mergeableContent, moveMeetingContent, type MovedMeetingContent } from '../../../meetings/lifecycle/moveMeetingContent';
import { copyStandards } from '../copyStandards';
import { lockActiveCommunity } from '../lockCommunity';
import { mergeMemberships } from '../moveMemberships';
import { moveResources, moveThreads } from '../moveContent';
import { retire } from '../retire';

export interface MergeCommunitiesProps {
  /** Database IDs, at least two distinct ones. */
  communityIds: string[];
  into: {
    name: string;
    slug: string;
    description: string;
    topics: string[];
    visibility?: CommunityVisibility | null;
    membershipRationale?: string | null;
  };
  /** Why RESTRICTED content may become OPEN (required then). */
  visibilityRationale?: string | null;
}

/** The merged community's visibility and rationale: the sources' stricter one unless staff say, and justify, otherwise. */
function visibilityOf(sources: Community[], props: MergeCommunitiesProps): { visibility: CommunityVisibility; membershipRationale: string | null } {
  const restricted = sources.filter((s) => s.isRestricted);
  const visibility = props.into.visibility ?? (restricted.length ? CommunityVisibility.RESTRICTED : CommunityVisibility.OPEN);
  if (visibility === CommunityVisibility.OPEN && restricted.length && !props.visibilityRationale?.trim()) {
    throw badField(
      'visibilityRationale',
      `is required to merge RESTRICTED ${restricted.map((s) => `"${s.name}"`).join(', ')} into an OPEN community: its content would become public`,
    );
  }
  if (visibility === CommunityVisibility.OPEN) return { visibility, membershipRationale: null };
  const membershipRationale = props.into.membershipRationale?.trim() || restricted[0]?.membershipRationale || null;
  if (!membershipRationale) throw badField('into.membershipRationale', 'is required when the community is RESTRICTED');
  return { visibility, membershipRationale };
}

/**
 * Staff merge two or more ACTIVE communities into a new one (an annual review's MERGE), in one transaction: the
 * merged community is founded (foundCommunity), gets the sources' additional standards (identical texts once), all
 * their threads (with posts) and resources, keeping their IDs, and one membership per member (see mergeMemberships;
 * no MemberJoined: nobody joined anything, subscribers and webhooks hear of the merge itself). Their meetings (with
 * answers, attendance and reminders), time polls, rituals and surveys move too, keeping their IDs, except ANNUAL
 * meetings and what is about them (see mergeableContent): the merged community has its own annual meeting, and a
 * source's coming one is cancelled when it retires. The sources become RETIRED with `mergedInto` (see retire).
 * Moved content is then readable exactly as the merged community's visibility says.
 */
export async function mergeCommunities(scope: CommandScope, props: MergeCommunitiesProps): Promise<Community> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, 'Only staff can merge communities');
  const ids = [...new Set(props.communityIds)];
  if (ids.length !== props.communityIds.length) throw badField('communityIds', 'names a community twice: a community cannot merge with itself');
  if (ids.length < 2) throw badField('communityIds', 'must name at least two communities');
  return scope.em.transactional(async (em) => {
    // Locked in ID order, so two merges sharing a source wait for each other rather than deadlock.
    const sources: Community[] = [];
    for (const id of [...ids].sort()) sources.push(await lockActiveCommunity(em, id, 'communityIds'));
    sources.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
    const { visibility, membershipRationale } = visibilityOf(sources, props);
    const merged = await foundCommunity(em, scope.services.config, actor.id, {
      name: props.into.name,
      slug: props.into.slug,
      description: props.into.description,
      topics: props.into.topics,
      visibility,
      membershipRationale,
      leadId: null,
      origin: { mergedFrom: sources.map((s) => s.nodeId), visibilityRationale: props.visibilityRationale?.trim() || null },
    });
    merged.openRoles = [...new Set(sources.flatMap((s) => s.openRoles))];
    await em.flush();
    const standards = await copyStandards(em, merged.id, ids);
    const counts = await em.execute<{ community_id: string; threads: string; resources: string }[]>(
      `select c.id as community_id, (select count(*) from thread t where t.community_id = c.id) as threads, ` +
        `(select count(*) from resource r where r.community_id = c.id) as resources from community c where c.id in (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    await moveThreads(em, merged.id, { fromCommunityIds: ids });
    await moveResources(em, merged.id, { fromCommunityIds: ids });
    const memberships = await mergeMemberships(em, ids, merged);
    // After the memberships: moved rituals' hosts are the members' kept memberships, now the merged community's.
    const meetings = new Map<string, MovedMeetingContent>();
    for (const source of sources) {
      const content = await mergeableContent(em, source.id);
      meetings.set(source.id, await moveMeetingContent(em, actor.id, { from: source.id, to: merged.id, ids: content, rehostRituals: false }));
    }
    const shared = {
      memberships,
      standards,
      visibility: { before: sources.map((s) => s.visibility), after: visibility },
      visibilityRationale: props.visibilityRationale?.trim() || null,
    };
    for (const source of sources) {
      const moved = counts.find((row) => row.community_id === source.id);
      const details = { threads: Number(moved?.threads ?? 0), resources: Number(moved?.resources ?? 0), ...meetings.get(source.id), ...shared };
      await retire(em, scope.services, actor.id, source, { change: 'MERGED', reason: `Merged into ${merged.name}`, successors: [merged], details });
    }
    return merged;
  });
}
