import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { MentoringGroup } from '../mentoringGroup.entity';

/** A group by global ID (batched), NOT_FOUND when missing. Callers authorise before acting on it. */
export async function loadGroup(ctx: Context, groupGlobalId: string): Promise<MentoringGroup> {
  const groupId = parseId(groupGlobalId, 'MentoringGroup', 'groupId');
  const group = await ctx.loaders.byId(MentoringGroup).load(groupId);
  if (!group) throw notFound('Mentoring group');
  return group;
}
