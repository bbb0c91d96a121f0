import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { forbidden } from '../../../shared/errors';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { mentorProfileOfMemberLoader } from '../mentoring.loaders';
import { MentoringGroup } from '../mentoringGroup.entity';
import { normalizeTopic } from '../topics';

export interface CreateMentoringGroupProps {
  topic: string;
  capacity: number;
  description?: string | null;
}

/** Mentors (members with a mentor profile) open a group on one topic for up to `capacity` members. */
export async function createMentoringGroup(scope: CommandScope, props: CreateMentoringGroupProps): Promise<MentoringGroup> {
  const member = requireMember(scope.actor);
  const profile = await mentorProfileOfMemberLoader(scope.loaders).load(member.id);
  if (!profile) throw forbidden('Only mentors can open a mentoring group: create your mentor profile first');
  return scope.em.transactional(async (em) => {
    const group = new MentoringGroup();
    group.mentor = em.getReference(Member, member.id);
    group.topic = normalizeTopic(props.topic);
    group.capacity = props.capacity;
    group.description = props.description?.trim() || null;
    em.persist(group);
    await recordEvent(em, member.id, { type: 'MentoringGroupCreated', groupId: group.id, mentorId: member.id });
    return group;
  });
}
