import { ORGANISATION } from '../organisation.policy';
import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { forbidden, notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { Member, OrgRole } from '../member.entity';
import type { SetOrgRoleInput } from '../member.inputs';

/** Staff only. Staff may not demote themselves, so an association is never left without staff by accident. */
export async function setOrgRole(ctx: Context, input: SetOrgRoleInput): Promise<Member> {
  const actor = requireMember(ctx.actor);
  await authorize(ctx.actor, 'setOrgRole', ORGANISATION, 'Only staff can change organisation roles');
  const memberId = parseId(input.memberId, 'Member', 'memberId');
  return ctx.em.transactional(async (em) => {
    const member = await em.findOne(Member, { id: memberId });
    if (!member) throw notFound('Member');
    if (member.id === actor.id && input.role !== OrgRole.STAFF) throw forbidden('Staff cannot remove their own staff role');
    if (member.orgRole === input.role) return member;
    member.orgRole = input.role;
    await recordEvent(em, actor.id, { type: 'OrgRoleChanged', memberId: member.id, role: input.role });
    return member;
  });
}
