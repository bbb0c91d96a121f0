import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { conflict, forbidden } from '../../../../shared/errors';
import { can, requireMember } from '../../../../shared/policy';
import { Membership } from '../../../communities/membership.entity';
import { recordAudit } from '../../audit/recordAudit';
import { currentStandardsVersion } from '../standardsVersion';
import '../standards.policy';

export interface AcceptCommunityStandardsProps {
  communityId: string;
  /** The version the member read (CommunityStandards.version). */
  version: string;
}

/**
 * The member themself (ACTIVE) accepts the community's current standards. A version that is no longer current is
 * CONFLICT: the code or the community's additions changed since the member read them, and they must read them again.
 * Accepting the version already accepted changes nothing.
 */
export async function acceptCommunityStandards(scope: CommandScope, props: AcceptCommunityStandardsProps): Promise<Membership> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  return scope.em.transactional(async (em) => {
    const membership = await em.findOne(Membership, { member: member.id, community: community.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!membership || !(await can(scope.actor, 'acceptStandards', membership))) {
      throw forbidden('Only an active member of the community can accept its standards');
    }
    // Share lock: an addition (which takes the row for update) cannot commit between this check and the write.
    await em.execute('select id from community where id = ? for share', [community.id]);
    const current = await currentStandardsVersion(em, community.id);
    if (props.version !== current) {
      throw conflict(`The standards changed since version ${props.version}: read the current version (${current}) and accept that`);
    }
    if (membership.acceptedStandardsVersion === current) return membership;
    const before = membership.acceptedStandardsVersion;
    membership.acceptedStandardsVersion = current;
    await recordEvent(em, member.id, {
      type: 'CommunityStandardsAccepted',
      communityId: community.id,
      membershipId: membership.id,
      memberId: member.id,
      version: current,
    });
    recordAudit(em, member.id, {
      action: 'standards.accepted',
      subject: { type: 'Membership', id: membership.id },
      communityId: community.id,
      details: { before: { acceptedStandardsVersion: before }, after: { acceptedStandardsVersion: current } },
    });
    return membership;
  });
}
