import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import { notFound } from '../../../shared/errors';
import { Membership } from '../membership.entity';

/** Reads a membership inside the writing transaction, locked so concurrent changes to it queue up. */
export async function lockMembership(em: Em, where: { id: string } | { member: string; community: string }): Promise<Membership> {
  const membership = await em.findOne(Membership, where, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['community'] });
  if (!membership) throw notFound('Membership');
  return membership;
}
