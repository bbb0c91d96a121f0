import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn, CREATED_ORDER } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import type { Em } from '../../db/orm';
import { CommunityRole, Membership, MembershipStatus } from './membership.entity';

/**
 * The viewer's own membership (any status) per community. Batched across viewers when the registry shares its reads
 * (a live event re-checks thousands of subscribers' memberships: a few statements, not one per subscriber).
 */
export function viewerMembershipLoader(registry: LoaderRegistry) {
  return registry.get<Membership | null>('viewerMembership', () => {
    const viewerId = registry.viewerId;
    const memberships = membershipsByViewerLoader(registry);
    return new DataLoader<string, Membership | null>(async (communityIds) =>
      viewerId ? memberships.loadMany(communityIds.map((id) => `${viewerId}:${id}`)) : communityIds.map(() => null),
    );
  });
}

/** Memberships by `<memberId>:<communityId>`, any status; null where there is none. */
function membershipsByViewerLoader(registry: LoaderRegistry) {
  return registry.sharedGet<Membership | null>('membershipsByViewer', () =>
    new DataLoader<string, Membership | null>(
      async (keys) => {
        const pairs = keys.map((key) => key.split(':') as [string, string]);
        const rows = await registry.em.execute<Record<string, unknown>[]>(
          `select m.* from membership m join (values ${pairs.map(() => '(?::uuid, ?::uuid)').join(', ')}) as v(member_id, community_id) ` +
            'on m.member_id = v.member_id and m.community_id = v.community_id',
          pairs.flat(),
        );
        const byKey = new Map<string, Membership>();
        for (const row of rows) byKey.set(`${row.member_id}:${row.community_id}`, registry.em.map(Membership, row));
        return keys.map((key) => byKey.get(key) ?? null);
      },
      { maxBatchSize: 500 },
    ),
  );
}

/**
 * Memberships by `<memberId>:<communityId>` as read-only facts for policy checks (status, roles, and the
 * `isActive`/`hasRole` they imply), not entities of an EntityManager: a live event re-checks the rights of
 * thousands of viewers, and hydrating a managed entity (with its references) for each cost ~0.3 ms apiece. Only
 * rights checks may use these; anything shown to a client reads real entities.
 */
export function membershipFactsLoader(em: Em): DataLoader<string, Membership | null> {
  return new DataLoader<string, Membership | null>(
    async (keys) => {
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const rows = await em.execute<{ id: string; member_id: string; community_id: string; status: MembershipStatus; roles: CommunityRole[] | string }[]>(
        `select m.id, m.member_id, m.community_id, m.status, m.roles from membership m ` +
          `join (values ${pairs.map(() => '(?::uuid, ?::uuid)').join(', ')}) as v(member_id, community_id) ` +
          'on m.member_id = v.member_id and m.community_id = v.community_id',
        pairs.flat(),
      );
      const byKey = new Map<string, Membership>();
      for (const row of rows) {
        const facts = Object.assign(Object.create(Membership.prototype) as Membership, {
          id: row.id,
          status: row.status,
          roles: typeof row.roles === 'string' ? parsePgArray(row.roles) : row.roles,
        });
        byKey.set(`${row.member_id}:${row.community_id}`, Object.freeze(facts));
      }
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: 500 },
  );
}

/** `{A,B}` (a text[] as some drivers return it) to its items. */
function parsePgArray(value: string): CommunityRole[] {
  const inner = value.replace(/^\{|\}$/g, '');
  return (inner ? inner.split(',') : []) as CommunityRole[];
}

export const activeMemberCountLoader = (registry: LoaderRegistry) =>
  childCountLoader(registry, 'activeMembers', 'membership', 'community_id', `t.status = '${MembershipStatus.ACTIVE}'`);

export const MEMBERS_ORDER: OrderColumn[] = [
  { column: 'joined_at', property: 'joinedAt', kind: 'timestamp' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

/** ACTIVE memberships of many communities, oldest members first. */
export const activeMembershipsPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<Membership>(
    registry,
    'activeMemberships',
    {
      entity: Membership,
      table: 'membership',
      parentColumn: 'community_id',
      order: MEMBERS_ORDER,
      direction: 'asc',
      where: `t.status = '${MembershipStatus.ACTIVE}'`,
    },
    page,
  );

export const MEMBERSHIPS_OF_MEMBER_ORDER = CREATED_ORDER;

export interface SqlFilter {
  where: string;
  params: unknown[];
}

/** Members' memberships, oldest first, restricted by a visibility filter on `t` (the membership row). */
export const membershipsOfMemberPageLoader = (registry: LoaderRegistry, page: Page, filter: SqlFilter) =>
  childPageLoader<Membership>(
    registry,
    'membershipsOfMember',
    {
      entity: Membership,
      table: 'membership',
      parentColumn: 'member_id',
      order: MEMBERSHIPS_OF_MEMBER_ORDER,
      direction: 'asc',
      where: filter.where,
      whereParams: filter.params,
    },
    page,
  );

export const PENDING_ORDER = CREATED_ORDER;

/** Requests to join, oldest first: what a lead works through. */
export const pendingMembershipsPageLoader = (registry: LoaderRegistry, page: Page) =>
  childPageLoader<Membership>(
    registry,
    'pendingMemberships',
    {
      entity: Membership,
      table: 'membership',
      parentColumn: 'community_id',
      order: PENDING_ORDER,
      direction: 'asc',
      where: `t.status = '${MembershipStatus.PENDING}'`,
    },
    page,
  );

export const pendingCountLoader = (registry: LoaderRegistry) =>
  childCountLoader(registry, 'pendingMemberships', 'membership', 'community_id', `t.status = '${MembershipStatus.PENDING}'`);
