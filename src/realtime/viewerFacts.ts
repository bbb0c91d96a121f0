import type { Em } from '../db/orm';
import type { Actor } from '../shared/policy';
import type { Member } from '../modules/members/member.entity';
import { Membership, type CommunityRole, type MembershipStatus } from '../modules/communities/membership.entity';

/**
 * Sharing work between viewers whose rights facts agree (see EventReads.prepare).
 *
 * A rights check or a GraphQL execution runs once for one viewer with a recording actor: every fact about the
 * viewer it reads is noted with its value (`signedIn`, `orgRole`, `membership:<communityId>` = status and roles).
 * Anything else it learns about the viewer (their id, another field of theirs or of their membership, the
 * context's viewer, the loaders' viewer) taints the run, which is then worth nothing to anyone else. An untainted
 * run's answer is a function of the facts it read (and of viewer-independent data, the same for the whole event),
 * so any viewer whose values agree on every recorded fact gets the same answer.
 */

/** A viewer's membership in one community as facts: what policies may read of it, and its value as one string. */
interface MembershipRow {
  /** Status and roles; the whole of what a recorded read may learn. */
  readonly value: string;
  readonly facts: Membership;
}

const NONE = '-';

/** The facts an execution read, by key, with the values read. */
export class FactRecord {
  readonly reads = new Map<string, string>();
  tainted = false;

  read(key: string, value: string): void {
    if (this.reads.get(key) === undefined) this.reads.set(key, value);
    else if (this.reads.get(key) !== value) this.tainted = true;
  }

  taint = (): void => {
    this.tainted = true;
  };
}

/**
 * The memberships of a set of viewers, read per community for all of them at once (one statement per 5,000
 * viewers), as plain facts for rights checks (never shown to a client).
 */
export class MembershipTable {
  private readonly byCommunity = new Map<string, Promise<Map<string, MembershipRow>>>();
  private readonly loaded = new Map<string, Map<string, MembershipRow>>();

  constructor(
    private readonly em: Em,
    private readonly memberIds: readonly string[],
  ) {}

  /** The viewers' memberships in a community (absent: none), loaded once. */
  of(communityId: string): Promise<Map<string, MembershipRow>> {
    let rows = this.byCommunity.get(communityId);
    if (!rows) {
      rows = this.load(communityId);
      this.byCommunity.set(communityId, rows);
    }
    return rows;
  }

  /** The fact's value for a viewer, or undefined when the community's memberships are not loaded (no match). */
  value(communityId: string, memberId: string): string | undefined {
    const rows = this.loaded.get(communityId);
    return rows && (rows.get(memberId)?.value ?? NONE);
  }

  private async load(communityId: string): Promise<Map<string, MembershipRow>> {
    const rows = new Map<string, MembershipRow>();
    for (let start = 0; start < this.memberIds.length; start += 5000) {
      const ids = this.memberIds.slice(start, start + 5000);
      const found = await this.em.execute<{ id: string; member_id: string; status: MembershipStatus; roles: CommunityRole[] | string }[]>(
        'select m.id, m.member_id, m.status, m.roles from membership m where m.community_id = ? and m.member_id in (?)',
        [communityId, ids],
      );
      for (const row of found) {
        const roles = typeof row.roles === 'string' ? parsePgArray(row.roles) : row.roles;
        const facts = Object.freeze(Object.assign(Object.create(Membership.prototype) as Membership, { id: row.id, status: row.status, roles: Object.freeze(roles) }));
        rows.set(row.member_id, { value: `${row.status}|${[...roles].sort().join(',')}`, facts });
      }
    }
    this.loaded.set(communityId, rows);
    return rows;
  }
}

function parsePgArray(value: string): CommunityRole[] {
  const inner = value.replace(/^\{|\}$/g, '');
  return (inner ? inner.split(',') : []) as CommunityRole[];
}

/** A fact's value for a viewer (undefined: unknown, never matches). */
export function factValue(viewer: Member | null, key: string, table: MembershipTable): string | undefined {
  if (key === 'signedIn') return viewer ? '1' : '0';
  if (key === 'orgRole') return viewer ? viewer.orgRole : undefined;
  if (key.startsWith('membership:')) return viewer ? table.value(key.slice('membership:'.length), viewer.id) : NONE;
  return undefined;
}

/** Whether the viewer's values agree with every fact the run read. */
export function agrees(reads: ReadonlyMap<string, string>, viewer: Member | null, table: MembershipTable): boolean {
  for (const [key, value] of reads) if (factValue(viewer, key, table) !== value) return false;
  return true;
}

const MEMBER_FACTS = new Set<PropertyKey>(['orgRole']);
const MEMBERSHIP_FACTS = new Set<PropertyKey>(['status', 'roles', 'isActive', 'hasRole']);

/**
 * An actor for `viewer` that records what it is asked: whether someone is signed in, their organisation role (the
 * only field of the member that is a fact) and their memberships (status and roles, from `table`).
 */
export function recordingActor(viewer: Member | null, record: FactRecord, table: MembershipTable, shared: Pick<Actor, 'community' | 'thread'>): Actor {
  const member = viewer && watchedMember(viewer, record);
  return {
    get member() {
      record.read('signedIn', viewer ? '1' : '0');
      return member;
    },
    async membershipIn(communityId: string) {
      if (!viewer) {
        record.read(`membership:${communityId}`, NONE);
        return null;
      }
      const row = (await table.of(communityId)).get(viewer.id);
      record.read(`membership:${communityId}`, row?.value ?? NONE);
      return row ? watchedMembership(row.facts, record) : null;
    },
    community: (communityId) => shared.community(communityId),
    thread: (threadId) => shared.thread(threadId),
  };
}

function watchedMember(viewer: Member, record: FactRecord): Member {
  return watchedProxy(viewer, MEMBER_FACTS, () => record.read('orgRole', viewer.orgRole), record.taint);
}

function watchedMembership(facts: Membership, record: FactRecord): Membership {
  return watchedProxy(facts, MEMBERSHIP_FACTS, () => undefined, record.taint);
}

/** Reads of anything but the allowed properties taint, as does any look at the object's shape. */
function watchedProxy<T extends object>(target: T, allowed: ReadonlySet<PropertyKey>, onRead: () => void, taint: () => void): T {
  const proxy: T = new Proxy(target, {
    get(object, prop) {
      // `then`: awaiting (or returning from an async function) looks for it; neither entity has one.
      if (prop === 'then') return undefined;
      if (!allowed.has(prop)) {
        taint();
        return Reflect.get(object, prop, proxy) as unknown;
      }
      onRead();
      // An allowed getter (the ORM's own accessors, `isActive`) reads within what the fact's value says; a method
      // (`hasRole`) is called on the proxy, so what it reads goes through here again.
      return Reflect.get(object, prop, object) as unknown;
    },
    has(object, prop) {
      taint();
      return Reflect.has(object, prop);
    },
    ownKeys(object) {
      taint();
      return Reflect.ownKeys(object);
    },
    getOwnPropertyDescriptor(object, prop) {
      taint();
      return Reflect.getOwnPropertyDescriptor(object, prop);
    },
  });
  return proxy;
}
