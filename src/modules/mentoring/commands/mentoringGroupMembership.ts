import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { MentoringGroup, MentoringGroupMember, MentoringGroupStatus } from '../mentoringGroup.entity';
import { loadGroup, type GroupProps } from './loadGroup';
import { lockGroup } from './lockRows';

/**
 * Joins an OPEN group while it has room. The group row is locked, so simultaneous joins are counted one after the other
 * and never pass capacity (a check constraint backs that up). Joining again changes nothing.
 */
export async function joinMentoringGroup(scope: CommandScope, { groupId }: GroupProps): Promise<MentoringGroup> {
  const member = requireMember(scope.actor);
  const group = await loadGroup(scope, groupId);
  await authorize(scope.actor, 'join', group, 'The mentor leads this group and cannot join it as a member');

  return scope.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    const already = await em.count(MentoringGroupMember, { group: locked.id, member: member.id });
    if (already) return locked;
    if (locked.status !== MentoringGroupStatus.OPEN) throw conflict('This group is closed: it takes no new members');
    if (locked.memberCount >= locked.capacity) throw conflict(`This group is full (${locked.capacity} members)`);
    const place = new MentoringGroupMember();
    place.group = locked;
    place.member = em.getReference(Member, member.id);
    em.persist(place);
    locked.memberCount += 1;
    await recordEvent(em, member.id, { type: 'MentoringGroupJoined', groupId: locked.id, mentorId: locked.mentor.id, memberId: member.id });
    return locked;
  });
}

/** Leaves a group; leaving one you are not in changes nothing. */
export async function leaveMentoringGroup(scope: CommandScope, { groupId }: GroupProps): Promise<MentoringGroup> {
  const member = requireMember(scope.actor);
  const group = await loadGroup(scope, groupId);

  return scope.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    const removed = await em.nativeDelete(MentoringGroupMember, { group: locked.id, member: member.id });
    if (removed > 0) {
      locked.memberCount -= 1;
      await recordEvent(em, member.id, { type: 'MentoringGroupLeft', groupId: locked.id, mentorId: locked.mentor.id, memberId: member.id });
    }
    return locked;
  });
}
