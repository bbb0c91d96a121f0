import { hasOrgAbility, ORGANISATION } from '../organisation.policy';
import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { forbidden, notFound } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Member, OrgRole } from '../member.entity';

export interface SetOrgRoleProps {
  memberId: string;
  role: OrgRole;
}

/** Staff only. Resolvers ask before parsing the arguments (a non-staff caller is FORBIDDEN whatever the ID); the command asks again. */
export async function authorizeSetOrgRole(scope: Pick<CommandScope, 'actor'>): Promise<Member> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'setOrgRole', ORGANISATION, 'Only staff can change organisation roles');
  return actor;
}

/** Staff only. Staff may not demote themselves, so an association is never left without staff by accident. */
export async function setOrgRole(scope: CommandScope, props: SetOrgRoleProps): Promise<Member> {
  const actor = await authorizeSetOrgRole(scope);
  const { memberId } = props;
  return scope.em.transactional(async (em) => {
    const member = await em.findOne(Member, { id: memberId });
    if (!member) throw notFound('Member');
    if (member.id === actor.id && !hasOrgAbility({ orgRole: props.role }, 'setOrgRole')) throw forbidden('Staff cannot remove their own staff role');
    if (member.orgRole === props.role) return member;
    member.orgRole = props.role;
    await recordEvent(em, actor.id, { type: 'OrgRoleChanged', memberId: member.id, role: props.role });
    return member;
  });
}
