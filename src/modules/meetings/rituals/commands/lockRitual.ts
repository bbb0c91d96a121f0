import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import type { Em } from '../../../../db/orm';
import { notFound } from '../../../../shared/errors';
import { authorize } from '../../../../shared/policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Ritual } from '../ritual.entity';
import { RUN_REFUSAL } from '../ritual.policy';

/** The ritual, read through the request's loaders (NOT_FOUND), and the `manage` rule checked, before the transaction. */
export async function authorizeRitual(scope: CommandScope, ritualId: string): Promise<Ritual> {
  const ritual = await scope.loaders.byId(Ritual).load(ritualId);
  if (!ritual) throw notFound('Ritual');
  await authorize(scope.actor, 'manage', ritual, RUN_REFUSAL);
  return ritual;
}

/**
 * Inside the writing transaction: the community share-locked and re-checked (a retirement that committed since wins,
 * as for every write), then the ritual re-read FOR UPDATE, so a change waits for an occurrence being posted (the job
 * holds the row) and the job then sees the change.
 */
export async function lockRitual(em: Em, ritual: Ritual): Promise<Ritual> {
  await lockWritableCommunity(em, ritual.community.id);
  const locked = await em.findOne(Ritual, { id: ritual.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!locked) throw notFound('Ritual');
  return locked;
}
