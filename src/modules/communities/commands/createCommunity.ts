import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { badField, conflict, forbidden } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Community, CommunityVisibility } from '../community.entity';
import { ORGANISATION } from '../../members/organisation.policy';
import { CommunityRole, Membership, MembershipStatus } from '../membership.entity';

export interface CreateCommunityProps {
  name: string;
  slug: string;
  description: string;
  topics: string[];
  visibility: CommunityVisibility;
  membershipRationale?: string | null;
  /** Also make the creator an ACTIVE member with the LEAD role. */
  joinAsLead: boolean;
}

/** Staff or board found a community; a RESTRICTED one must say why. */
export async function createCommunity(scope: CommandScope, props: CreateCommunityProps): Promise<Community> {
  const creator = requireMember(scope.actor);
  await authorize(scope.actor, 'createCommunity', ORGANISATION, 'Only staff or board members can create communities');
  const rationale = props.membershipRationale?.trim() || null;
  if (props.visibility === CommunityVisibility.RESTRICTED && !rationale) {
    throw badField('membershipRationale', 'is required when the community is RESTRICTED');
  }
  return scope.em.transactional(async (em) => {
    if (await em.count(Community, { slug: props.slug })) throw conflict(`The slug "${props.slug}" is taken`);
    const community = new Community();
    community.name = props.name.trim();
    community.slug = props.slug;
    community.description = props.description.trim();
    community.topics = [...new Set(props.topics.map((t) => t.trim().toLowerCase()).filter(Boolean))];
    community.visibility = props.visibility;
    community.membershipRationale = rationale;
    em.persist(community);
    await recordEvent(em, creator.id, { type: 'CommunityCreated', communityId: community.id });
    if (props.joinAsLead) {
      const membership = new Membership();
      membership.member = creator;
      membership.community = community;
      membership.status = MembershipStatus.ACTIVE;
      membership.roles = [CommunityRole.LEAD];
      membership.joinedAt = new Date();
      em.persist(membership);
      await recordEvent(em, creator.id, { type: 'MemberJoined', communityId: community.id, membershipId: membership.id, memberId: creator.id });
    }
    return community;
  });
}
