import { recordEvent } from '../../../../events/record';
import type { CommandScope } from '../../../../context';
import { badField, notFound } from '../../../../shared/errors';
import { toGlobalId } from '../../../../shared/ids';
import { LockMode } from '@mikro-orm/core';
import { authorize, requireMember } from '../../../../shared/policy';
import { type CommunityRole, Membership, MembershipStatus } from '../../../communities/membership.entity';
import { recordAudit } from '../../audit/recordAudit';
import { endOpenTerm, openRoleTerm } from '../roleTerms';
import { RoleTermEndReason } from '../roleTerm.entity';
import { HandOver } from '../roles.policy';

export interface HandOverRoleProps {
  fromMembershipId: string;
  toMembershipId: string;
  role: CommunityRole;
  /** What the holder passes on (kept on the ended term). */
  note?: string | null;
  /** The recipient's term end; omitted: none. */
  termEndsAt?: Date | null;
}

/**
 * The holder (or a LEAD, or staff) passes a role to another ACTIVE member of the same community in one step: the
 * role moves, the holder's term ends HANDED_OVER with the note and the recipient, and the recipient's term starts.
 * The community never goes without the role in between (a LEAD handing over LEAD leaves the recipient LEAD).
 */
export async function handOverRole(scope: CommandScope, props: HandOverRoleProps): Promise<Membership> {
  const actor = requireMember(scope.actor);
  const { fromMembershipId, toMembershipId, role } = props;
  const termEndsAt = props.termEndsAt ?? null;
  if (termEndsAt && termEndsAt.getTime() <= Date.now()) throw badField('termEndsAt', 'must be in the future');
  if (fromMembershipId === toMembershipId) throw badField('toMembershipId', 'must be another member’s membership');
  // Rights first, through the request's loaders, before the transaction holds a connection (see loadMembership).
  const from = await scope.loaders.byId(Membership).load(fromMembershipId);
  if (!from) throw notFound('Membership');
  await authorize(scope.actor, 'handOver', new HandOver(from, await scope.actor.community(from.community.id)), 'Only the holder, a community lead or staff can hand over a role');
  return scope.em.transactional(async (em) => {
    // Both rows locked in one order, so two handovers between the same members cannot deadlock.
    const locked = new Map<string, Membership>();
    for (const id of [fromMembershipId, toMembershipId].sort()) {
      const membership = await em.findOne(Membership, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['community'] });
      if (membership) locked.set(id, membership);
    }
    const giver = locked.get(fromMembershipId);
    if (!giver) throw notFound('Membership');
    const recipient = locked.get(toMembershipId);
    if (!recipient || recipient.community.id !== giver.community.id) throw badField('toMembershipId', 'must be a membership of the same community');
    if (recipient.status !== MembershipStatus.ACTIVE) throw badField('toMembershipId', 'must be an ACTIVE membership');
    if (giver.status !== MembershipStatus.ACTIVE || !giver.roles.includes(role)) throw badField('role', 'the from-membership does not hold this role');
    if (recipient.roles.includes(role)) throw badField('toMembershipId', 'already holds this role');
    giver.roles = giver.roles.filter((held) => held !== role);
    recipient.roles = [...recipient.roles, role];
    const note = props.note?.trim() || null;
    const ended = await endOpenTerm(em, giver.id, role, RoleTermEndReason.HANDED_OVER, { handoverNote: note, handedOverTo: recipient });
    openRoleTerm(em, recipient, role, { grantedById: actor.id, termEndsAt });
    const communityId = giver.community.id;
    await recordEvent(em, actor.id, { type: 'RoleRevoked', communityId, membershipId: giver.id, memberId: giver.member.id, role });
    await recordEvent(em, actor.id, { type: 'RoleGranted', communityId, membershipId: recipient.id, memberId: recipient.member.id, role });
    recordAudit(em, actor.id, {
      action: 'roles.handedOver',
      subject: { type: 'Membership', id: recipient.id },
      communityId,
      details: {
        role,
        from: toGlobalId('Membership', giver.id),
        to: toGlobalId('Membership', recipient.id),
        note,
        termEndsAt: termEndsAt?.toISOString() ?? null,
        previousTermStartedAt: ended?.startedAt.toISOString() ?? null,
      },
    });
    return recipient;
  });
}
