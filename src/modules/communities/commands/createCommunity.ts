import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { badField, conflict, forbidden } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Community, CommunityVisibility } from '../community.entity';
import { ORGANISATION } from '../../members/organisation.policy';
import type { CreateCommunityInput } from '../community.inputs';
import { CommunityRole, Membership, MembershipStatus } from '../membership.entity';

/** Staff or board found a community; a RESTRICTED one must say why. */
export async function createCommunity(ctx: Context, input: CreateCommunityInput): Promise<Community> {
  const creator = requireMember(ctx.actor);
  await authorize(ctx.actor, 'createCommunity', ORGANISATION, 'Only staff or board members can create communities');
  const rationale = input.membershipRationale?.trim() || null;
  if (input.visibility === CommunityVisibility.RESTRICTED && !rationale) {
    throw badField('membershipRationale', 'is required when the community is RESTRICTED');
  }
  return ctx.em.transactional(async (em) => {
    if (await em.count(Community, { slug: input.slug })) throw conflict(`The slug "${input.slug}" is taken`);
    const community = new Community();
    community.name = input.name.trim();
    community.slug = input.slug;
    community.description = input.description.trim();
    community.topics = [...new Set(input.topics.map((t) => t.trim().toLowerCase()).filter(Boolean))];
    community.visibility = input.visibility;
    community.membershipRationale = rationale;
    em.persist(community);
    await recordEvent(em, creator.id, { type: 'CommunityCreated', communityId: community.id });
    if (input.joinAsLead) {
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
