import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { MentoringGroup } from '../mentoringGroup.entity';

/** Props of the commands that act on one group. */
export interface GroupProps {
  groupId: string;
}

/** A group by database ID (batched), NOT_FOUND when missing. Callers authorise before acting on it. */
export async function loadGroup(scope: CommandScope, groupId: string): Promise<MentoringGroup> {
  const group = await scope.loaders.byId(MentoringGroup).load(groupId);
  if (!group) throw notFound('Mentoring group');
  return group;
}
