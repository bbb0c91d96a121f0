import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import type { UpdateMentoringGroupInput } from '../mentoring.inputs';
import { MentoringGroup, MentoringGroupStatus } from '../mentoringGroup.entity';
import { loadGroup } from './loadGroup';
import { lockGroup } from './lockRows';

/**
 * The mentor changes capacity or description. The group row is locked like joins lock it, so a capacity below the
 * members it has (counted under that lock) is a CONFLICT, never a group over capacity.
 */
export async function updateMentoringGroup(ctx: Context, input: UpdateMentoringGroupInput): Promise<MentoringGroup> {
  const actor = requireMember(ctx.actor);
  const group = await loadGroup(ctx, input.groupId);
  await authorize(ctx.actor, 'update', group, 'Only the group’s mentor can change it');

  return ctx.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    if (input.capacity != null) {
      if (input.capacity < locked.memberCount) {
        throw conflict(`The group has ${locked.memberCount} members: its capacity cannot go below that`);
      }
      locked.capacity = input.capacity;
    }
    if (input.description !== undefined) locked.description = input.description?.trim() || null;
    await recordEvent(em, actor.id, { type: 'MentoringGroupUpdated', groupId: locked.id, mentorId: locked.mentor.id });
    return locked;
  });
}

/** Its mentor (or staff) closes a group: its members stay, nobody new joins. Closing a closed group changes nothing. */
export async function closeMentoringGroup(ctx: Context, groupGlobalId: string): Promise<MentoringGroup> {
  const actor = requireMember(ctx.actor);
  const group = await loadGroup(ctx, groupGlobalId);
  await authorize(ctx.actor, 'close', group, 'Only the group’s mentor or staff can close it');

  return ctx.em.transactional(async (em) => {
    const locked = await lockGroup(em, group.id);
    if (locked.status === MentoringGroupStatus.CLOSED) return locked;
    locked.status = MentoringGroupStatus.CLOSED;
    locked.closedAt = new Date();
    await recordEvent(em, actor.id, { type: 'MentoringGroupClosed', groupId: locked.id, mentorId: locked.mentor.id });
    return locked;
  });
}
