import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, CREATED_ORDER } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { MentorProfile, PROFILE_COLUMNS } from './mentorProfile.entity';
import { MentoringGroupMember } from './mentoringGroup.entity';
import { MentorshipCheckIn } from './mentorshipPairing.entity';

/** Each member's mentor profile (or null), one statement per batch. */
export function mentorProfileOfMemberLoader(registry: LoaderRegistry) {
  return registry.get<MentorProfile | null>('mentorProfileOfMember', () =>
    new DataLoader<string, MentorProfile | null>(async (memberIds) => {
      const rows = await registry.em.execute<Record<string, unknown>[]>(`${PROFILE_COLUMNS} from mentor_profile where member_id in (?)`, [
        [...memberIds],
      ]);
      const byMember = new Map<string, MentorProfile>();
      for (const row of rows) {
        const profile = registry.em.map(MentorProfile, row);
        byMember.set(profile.member.id, profile);
      }
      return memberIds.map((id) => byMember.get(id) ?? null);
    }),
  );
}

export const CHECK_IN_ORDER = CREATED_ORDER;

/** Check-ins of many pairings, oldest first, each with its author in the same statement. */
export const checkInsPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<MentorshipCheckIn>(
    registry,
    'checkInsOfPairing',
    {
      entity: MentorshipCheckIn,
      table: 'mentorship_check_in',
      parentColumn: 'pairing_id',
      order: CHECK_IN_ORDER,
      direction: 'asc',
      include: { column: 'author_id', table: 'member', entity: Member },
    },
    page,
  );

export const checkInCountLoader = (registry: LoaderRegistry) =>
  childCountLoader(registry, 'checkInsOfPairing', 'mentorship_check_in', 'pairing_id');

export const GROUP_MEMBER_ORDER = CREATED_ORDER;

/** Members of many groups in order of joining, each member in the same statement. */
export const groupMembersPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<MentoringGroupMember>(
    registry,
    'membersOfGroup',
    {
      entity: MentoringGroupMember,
      table: 'mentoring_group_member',
      parentColumn: 'group_id',
      order: GROUP_MEMBER_ORDER,
      direction: 'asc',
      include: { column: 'member_id', table: 'member', entity: Member },
    },
    page,
  );

/** Which of many groups the viewer is in. */
export function viewerInGroupLoader(registry: LoaderRegistry) {
  return registry.get<boolean>('viewerInGroup', () =>
    new DataLoader<string, boolean>(async (groupIds) => {
      if (!registry.viewerId) return groupIds.map(() => false);
      const rows = await registry.em.execute<{ group_id: string }[]>(
        'select group_id from mentoring_group_member where member_id = ? and group_id in (?)',
        [registry.viewerId, [...groupIds]],
      );
      const mine = new Set(rows.map((r) => r.group_id));
      return groupIds.map((id) => mine.has(id));
    }),
  );
}
