import type { Em } from '../../../db/orm';
import { Community } from '../../communities/community.entity';
import { Membership, MembershipStatus, NotificationPreference } from '../../communities/membership.entity';
import { moveRoleTerms } from '../roles/roleTerms';

/**
 * Every (table, column) with a foreign key to `membership.id`. A merge keeps one membership per member and deletes
 * the others: their references are first re-pointed to the kept one, or they would be deleted with it (cascade) or
 * block the delete. A test compares this list with information_schema, so a table added later (role terms, …) that
 * is missing here fails it: add one line. A table with rules of its own over the column (a unique key, history)
 * moves its rows with `repoint` instead of the plain update. IDs kept in arrays (ritual hosts) have no foreign key:
 * repointMembershipArrays handles them.
 */
type Repoint = (em: Em, keptId: string, otherIds: string[]) => Promise<void>;
const moveTerms: Repoint = async (em, keptId, otherIds) => {
  for (const otherId of otherIds) await moveRoleTerms(em, otherId, keptId);
};
export const MEMBERSHIP_REFERENCES: readonly { table: string; column: string; repoint?: Repoint }[] = [
  // Role history: one open term per membership and role (moveRoleTerms ends a duplicate as MERGED); it moves both
  // columns, so the second entry has nothing left to do.
  { table: 'role_term', column: 'membership_id', repoint: moveTerms },
  { table: 'role_term', column: 'handed_over_to_id', repoint: async () => undefined },
];

/** Strongest first: the merged membership takes the strongest status among a member's memberships. */
const STATUS_RANK: Record<MembershipStatus, number> = {
  [MembershipStatus.ACTIVE]: 0,
  [MembershipStatus.PENDING]: 1,
  [MembershipStatus.LEFT]: 2,
  [MembershipStatus.DECLINED]: 3,
};

/** Most frequent first. */
const PREFERENCE_RANK: Record<NotificationPreference, number> = {
  [NotificationPreference.REALTIME]: 0,
  [NotificationPreference.DAILY_DIGEST]: 1,
  [NotificationPreference.WEEKLY_DIGEST]: 2,
  [NotificationPreference.NONE]: 3,
};

const time = (date: Date | null) => date?.getTime() ?? Number.POSITIVE_INFINITY;
const earliest = (dates: (Date | null)[]) => dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);

/**
 * Split: every ACTIVE and PENDING membership of the original gets one in the part, with the same status, roles,
 * preference and dates (the original's stay, so its members can still read the archive), and each held role's open
 * term. Returns how many memberships.
 */
export async function copyMemberships(em: Em, from: string, to: string): Promise<number> {
  await em.flush();
  const rows = await em.execute<{ id: string }[]>(
    // The part starts with the original's standards (copied), so what a member accepted there holds here too.
    'insert into membership (id, created_at, member_id, community_id, status, roles, notification_preference, joined_at, approved_at, accepted_standards_version) ' +
      'select gen_random_uuid(), now(), member_id, ?, status, roles, notification_preference, joined_at, approved_at, accepted_standards_version ' +
      `from membership where community_id = ? and status in ('ACTIVE', 'PENDING') returning id`,
    [to, from],
  );
  // Each copied role continues in the part on the same terms: its open term is copied (same end, same warning state).
  await em.execute(
    'insert into role_term (id, created_at, membership_id, role, started_at, term_ends_at, granted_by_id, ending_notified_at) ' +
      'select gen_random_uuid(), now(), n.id, t.role, t.started_at, t.term_ends_at, t.granted_by_id, t.ending_notified_at ' +
      'from role_term t join membership o on o.id = t.membership_id join membership n on n.member_id = o.member_id and n.community_id = ? ' +
      'where o.community_id = ? and t.ended_at is null and t.role = any(n.roles)',
    [to, from],
  );
  return rows.length;
}

export interface MergedMemberships {
  /** Memberships moved into the merged community (one per member); their IDs are kept. */
  kept: number;
  /** Duplicates deleted after their references were moved to the member's kept membership. */
  removed: number;
}

/**
 * Merge: one membership per member in `into`. A member of several sources keeps the membership with the strongest
 * status (ACTIVE, then PENDING, LEFT, DECLINED; among equals the earliest joined), so its ID survives; it takes the
 * union of the roles and the most frequent preference of the memberships with that status (a membership they left
 * has no roles, and how they heard from a community they left says nothing), and their earliest joinedAt.
 */
export async function mergeMemberships(em: Em, fromCommunityIds: readonly string[], into: Community): Promise<MergedMemberships> {
  const memberships = await em.find(Membership, { community: { $in: [...fromCommunityIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const byMember = new Map<string, Membership[]>();
  for (const membership of memberships) {
    const list = byMember.get(membership.member.id) ?? [];
    list.push(membership);
    byMember.set(membership.member.id, list);
  }
  const duplicates: Membership[] = [];
  const replaced: [string, string][] = [];
  for (const list of byMember.values()) {
    const best = Math.min(...list.map((m) => STATUS_RANK[m.status]));
    const strongest = list.filter((m) => STATUS_RANK[m.status] === best).sort((a, b) => time(a.joinedAt) - time(b.joinedAt));
    const kept = strongest[0]!;
    const others = list.filter((m) => m !== kept);
    kept.roles = [...new Set(strongest.flatMap((m) => m.roles))].sort();
    kept.notificationPreference = strongest.map((m) => m.notificationPreference).sort((a, b) => PREFERENCE_RANK[a] - PREFERENCE_RANK[b])[0]!;
    kept.joinedAt = earliest(strongest.map((m) => m.joinedAt));
    kept.approvedAt = earliest(strongest.map((m) => m.approvedAt));
    kept.community = into;
    if (others.length) await repointReferences(em, kept.id, others.map((m) => m.id));
    duplicates.push(...others);
    replaced.push(...others.map((m): [string, string] => [m.id, kept.id]));
  }
  await repointMembershipArrays(em, replaced);
  for (const duplicate of duplicates) em.remove(duplicate);
  await em.flush();
  return { kept: byMember.size, removed: duplicates.length };
}

async function repointReferences(em: Em, keptId: string, otherIds: string[]): Promise<void> {
  const list = otherIds.map(() => '?').join(', ');
  for (const { table, column, repoint } of MEMBERSHIP_REFERENCES) {
    if (repoint) {
      await repoint(em, keptId, otherIds);
      continue;
    }
    await em.execute(`update "${table}" set "${column}" = ? where "${column}" in (${list})`, [keptId, ...otherIds]);
  }
}

/**
 * Membership IDs kept in arrays (no foreign key can guard them, so the information_schema test cannot list them):
 * a ritual's hosts. A merge replaces each deleted duplicate by the member's kept membership, in place, so the
 * rotation keeps its order (a ritual's hosts are memberships of one community: one per member, never two merged
 * into one).
 */
async function repointMembershipArrays(em: Em, replaced: [string, string][]): Promise<void> {
  if (!replaced.length) return;
  const map = JSON.stringify(Object.fromEntries(replaced));
  await em.execute(
    `update ritual r set host_membership_ids = (select array_agg(coalesce((?::jsonb ->> h.id::text)::uuid, h.id) order by h.ord) ` +
      `from unnest(r.host_membership_ids) with ordinality h(id, ord)) where r.host_membership_ids && ?::uuid[]`,
    [map, `{${replaced.map(([removed]) => removed).join(',')}}`],
  );
}
