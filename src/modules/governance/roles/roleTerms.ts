import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import { toGlobalId } from '../../../shared/ids';
import { Member } from '../../members/member.entity';
import { Community, CommunityStatus } from '../../communities/community.entity';
import { type CommunityRole, Membership, MembershipStatus } from '../../communities/membership.entity';
import { recordAudit } from '../audit/recordAudit';
import { RoleTerm, RoleTermEndReason } from './roleTerm.entity';

/**
 * Every write of a role term goes through here (so merging memberships has one place to look). All of these run
 * inside the caller's transaction, after it locked the membership concerned.
 */

export function openRoleTerm(em: Em, membership: Membership, role: CommunityRole, props: { grantedById: string | null; termEndsAt?: Date | null; startedAt?: Date }): RoleTerm {
  const term = new RoleTerm();
  term.membership = membership;
  term.role = role;
  term.startedAt = props.startedAt ?? new Date();
  term.termEndsAt = props.termEndsAt ?? null;
  term.grantedBy = props.grantedById ? em.getReference(Member, props.grantedById) : null;
  em.persist(term);
  return term;
}

export async function findOpenTerm(em: Em, membershipId: string, role: CommunityRole): Promise<RoleTerm | null> {
  return em.findOne(RoleTerm, { membership: membershipId, role, endedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Ends the open term of a role (if there is one: roles given before terms existed may have none). */
export async function endOpenTerm(
  em: Em,
  membershipId: string,
  role: CommunityRole,
  reason: RoleTermEndReason,
  extra: { handoverNote?: string | null; handedOverTo?: Membership; at?: Date } = {},
): Promise<RoleTerm | null> {
  const term = await findOpenTerm(em, membershipId, role);
  if (!term) return null;
  term.endedAt = extra.at ?? new Date();
  term.endReason = reason;
  term.handoverNote = extra.handoverNote ?? null;
  term.handedOverTo = extra.handedOverTo ?? null;
  return term;
}

/** Changes an open term's end; the ending warning is due again for the new date. */
export function setTermEnd(term: RoleTerm, termEndsAt: Date | null): void {
  term.termEndsAt = termEndsAt;
  term.endingNotifiedAt = null;
}

/**
 * When no ACTIVE member of the community holds `role` any more, the role is vacant: it joins the community's open
 * roles, the LEADs (and staff, for the last LEAD) are told (RoleVacant) and the audit log says so. Locking the
 * community row first serialises two holders lapsing or leaving at once, so exactly one of them finds it vacant.
 */
export async function vacateIfUnheld(em: Em, actorId: string | null, communityId: string, role: CommunityRole): Promise<boolean> {
  await em.flush();
  const community = await em.findOneOrFail(Community, communityId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  // Nobody fills roles in an archive: leaving a retired community vacates nothing.
  if (community.status !== CommunityStatus.ACTIVE) return false;
  const held = await em.count(Membership, { community: communityId, status: MembershipStatus.ACTIVE, roles: { $contains: [role] } });
  if (held > 0) return false;
  const before = [...community.openRoles];
  if (!before.includes(role)) community.openRoles = [...before, role];
  await recordEvent(em, actorId, { type: 'RoleVacant', communityId, role });
  recordAudit(em, actorId, {
    action: 'roles.vacant',
    subject: { type: 'Community', id: communityId },
    communityId,
    details: { role, before: { openRoles: before }, after: { openRoles: community.openRoles } },
  });
  return true;
}

/**
 * A granted role is filled: it leaves the community's open roles (atomically, so a concurrent setOpenRoles is not
 * overwritten). Returns the open roles before and after, or null when the role was not open.
 */
export async function fillOpenRole(em: Em, actorId: string, communityId: string, role: CommunityRole): Promise<{ before: string[]; after: string[] } | null> {
  const rows = await em.execute<{ open_roles: string[] }[]>(
    'update community set open_roles = array_remove(open_roles, ?::text) where id = ? and ?::text = any(open_roles) returning open_roles',
    [role, communityId, role],
  );
  if (!rows.length) return null;
  const after = rows[0]!.open_roles;
  const loaded = em.getUnitOfWork().getById(Community, communityId);
  if (loaded) await em.refresh(loaded);
  await recordEvent(em, actorId, { type: 'OpenRolesChanged', communityId, roles: after });
  return { before: [...after, role], after };
}

/** Leaving ends the member's open terms (LEFT_COMMUNITY) and vacates the roles nobody else holds. */
export async function endTermsOnLeaving(em: Em, actorId: string, membership: Membership, rolesHeld: CommunityRole[]): Promise<void> {
  for (const role of rolesHeld) {
    await endOpenTerm(em, membership.id, role, RoleTermEndReason.LEFT_COMMUNITY);
    recordAudit(em, actorId, {
      action: 'roles.termEnded',
      subject: { type: 'Membership', id: membership.id },
      communityId: membership.community.id,
      details: { role, reason: RoleTermEndReason.LEFT_COMMUNITY, membershipId: toGlobalId('Membership', membership.id) },
    });
  }
  for (const role of rolesHeld) await vacateIfUnheld(em, actorId, membership.community.id, role);
}

/**
 * For merging memberships (mergeCommunities): `from`'s role history moves to `into`, and handovers to `from` point
 * at `into`. A role open on both keeps `into`'s term, running until the later end (none if either had none);
 * `from`'s duplicate ends MERGED. The caller moves `Membership.roles` itself and has both memberships locked.
 */
export async function moveRoleTerms(em: Em, fromMembershipId: string, intoMembershipId: string, at = new Date()): Promise<void> {
  await em.flush();
  const open = await em.find(RoleTerm, { membership: { $in: [fromMembershipId, intoMembershipId] }, endedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  for (const term of open.filter((t) => t.membership.id === fromMembershipId)) {
    const kept = open.find((t) => t.membership.id === intoMembershipId && t.role === term.role);
    if (!kept) continue;
    const ends = term.termEndsAt && kept.termEndsAt ? new Date(Math.max(term.termEndsAt.getTime(), kept.termEndsAt.getTime())) : null;
    if (ends?.getTime() !== kept.termEndsAt?.getTime()) setTermEnd(kept, ends);
    term.endedAt = at;
    term.endReason = RoleTermEndReason.MERGED;
  }
  // Terms already loaded here move in the identity map too: the caller then removes `from`, and a loaded term still
  // pointing at it would be written back with no membership.
  const into = em.getReference(Membership, intoMembershipId);
  for (const term of open.filter((t) => t.membership.id === fromMembershipId)) term.membership = into;
  await em.flush();
  await em.nativeUpdate(RoleTerm, { membership: fromMembershipId }, { membership: intoMembershipId });
  await em.nativeUpdate(RoleTerm, { handedOverTo: fromMembershipId }, { handedOverTo: intoMembershipId });
}
