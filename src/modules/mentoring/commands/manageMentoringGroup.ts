import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { MentoringGroup, MentoringGroupStatus } from '../mentoringGroup.entity';
import { loadGroup, type GroupProps } from './loadGroup';
import { lockGroup } from './lockRows';

export interface UpdateMentoringGroupProps {
  groupId: string;
  /** Omitted or null: unchanged. */
  capacity?: number | null;
  /** Omitted (undefined): unchanged; null or blank clears it. */
  description?: string | null;
}

/**
 * The mentor changes capacity or description. The group row is locked like joins lock it, so a capacity below the
 * members it has (counted under that lock) is a CONFLICT, never a group over capacity.
 */
export async function updateMentoringGroup(scope: CommandScope, props: UpdateMentoringGroupProps): Promise<MentoringGroup> {
  const actor = requireMember(scope.actor);
  const group = await loadGroup(scope, props.groupId);
  await authorize(scope.actor, 'update', group, 'Only the group’s mentor can change it');

  return scope.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    if (props.capacity != null) {
      if (props.capacity < locked.memberCount) {
        throw conflict(`The group has ${locked.memberCount} members: its capacity cannot go below that`);
      }
      locked.capacity = props.capacity;
    }
    if (props.description !== undefined) locked.description = props.description?.trim() || null;
    await recordEvent(em, actor.id, { type: 'MentoringGroupUpdated', groupId: locked.id, mentorId: locked.mentor.id });
    return locked;
  });
}

/** Its mentor (or staff) closes a group: its members stay, nobody new joins. Closing a closed group changes nothing. */
export async function closeMentoringGroup(scope: CommandScope, { groupId }: GroupProps): Promise<MentoringGroup> {
  const actor = requireMember(scope.actor);
  const group = await loadGroup(scope, groupId);
  await authorize(scope.actor, 'close', group, 'Only the group’s mentor or staff can close it');

  return scope.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    if (locked.status === MentoringGroupStatus.CLOSED) return locked;
    locked.status = MentoringGroupStatus.CLOSED;
    locked.closedAt = new Date();
    await recordEvent(em, actor.id, { type: 'MentoringGroupClosed', groupId: locked.id, mentorId: locked.mentor.id });
    return locked;
  });
}
