import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { forbidden } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import type { CreateMentoringGroupInput } from '../mentoring.inputs';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentoringGroup } from '../mentoringGroup.entity';
import { normalizeTopic } from '../topics';

/** Mentors (members with a mentor profile) open a group on one topic for up to `capacity` members. */
export async function createMentoringGroup(ctx: Context, input: CreateMentoringGroupInput): Promise<MentoringGroup> {
  const member = requireMember(ctx.actor);
  const profile = await mentorProfileOfMemberLoader(ctx.loaders).load(member.id);
  if (!profile) throw forbidden('Only mentors can open a mentoring group: create your mentor profile first');
  return ctx.em.transactional(async (em) => {
    const group = new MentoringGroup();
    group.mentor = em.getReference(Member, member.id);
    group.topic = normalizeTopic(input.topic);
    group.capacity = input.capacity;
    group.description = input.description?.trim() || null;
    em.persist(group);
    await recordEvent(em, member.id, { type: 'MentoringGroupCreated', groupId: group.id, mentorId: member.id });
    return group;
  });
}
