import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { authorize } from '../../../shared/policy';
import { Membership } from '../membership.entity';

/** Reads a membership inside the writing transaction, locked so concurrent changes to it queue up. */
export async function lockMembership(em: Em, where: { id: string } | { member: string; community: string }): Promise<Membership> {
  const membership = await em.findOne(Membership, where, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['community'] });
  if (!membership) throw notFound('Membership');
  return membership;
}

/**
 * Checks `action` on a membership's community before the writing transaction opens: permission lookups read
 * through the request's loaders, and doing that while a transaction holds a pooled connection could exhaust the
 * pool under load. The transaction then re-reads the row, locked, and re-checks its state.
 */
export async function authorizeOnMembershipCommunity(scope: CommandScope, membershipId: string, action: string, message: string): Promise<void> {
  const membership = await scope.loaders.byId(Membership).load(membershipId);
  if (!membership) throw notFound('Membership');
  await authorize(scope.actor, action, await scope.actor.community(membership.community.id), message);
}
