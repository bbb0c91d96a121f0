import type { Em } from '../../../db/orm';
import { notFound } from '../../../shared/errors';
import { MentorProfile, PROFILE_COLUMNS } from '../mentorProfile.entity';
import { MentoringGroup } from '../mentoringGroup.entity';
import { MentorshipPairing } from '../mentorshipPairing.entity';

/*
 * Row locks for the mentoring transactions. The order is always: the mentor's profile, then the pairing (accept,
 * complete), so two of them never wait on each other in a cycle.
 *
 * FOR NO KEY UPDATE rather than FOR UPDATE: inserting a check-in or a group member takes a KEY SHARE lock on the
 * row it references, which FOR UPDATE would block (see discussions/commands/loadForUpdate.ts). Each lock re-reads
 * the row inside the transaction, so counters are checked against what other transactions committed.
 */
type Mode = 'for no key update' | 'for share';

async function lockRow<T extends object>(em: Em, entity: new () => T, sql: string, params: unknown[]): Promise<T | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(sql, params);
  return row ? em.map(entity, row) : null;
}

/** The mentor profile of a member, locked; null when the member has none. */
export const lockProfileOfMember = (em: Em, memberId: string): Promise<MentorProfile | null> =>
  lockRow(em, MentorProfile, `${PROFILE_COLUMNS} from mentor_profile where member_id = ? for no key update`, [memberId]);

export async function lockPairing(em: Em, id: string, mode: Mode = 'for no key update'): Promise<MentorshipPairing> {
  const pairing = await lockRow(em, MentorshipPairing, `select * from mentorship_pairing where id = ? ${mode}`, [id]);
  if (!pairing) throw notFound('Mentorship');
  return pairing;
}

export async function lockGroup(em: Em, id: string): Promise<MentoringGroup> {
  const group = await lockRow(em, MentoringGroup, 'select * from mentoring_group where id = ? for no key update', [id]);
  if (!group) throw notFound('Mentoring group');
  return group;
}
