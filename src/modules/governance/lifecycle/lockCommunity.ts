import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../../db/orm';
import { badField } from '../../../shared/errors';
import { Community, CommunityStatus } from '../../communities/community.entity';

/**
 * Reads a community inside the lifecycle transaction, locked, so two staff members cannot split, merge or retire it
 * at once; it must still be ACTIVE (a retired one is an archive: read-only). `field` names the input that chose it.
 */
export async function lockActiveCommunity(em: Em, communityId: string, field: string): Promise<Community> {
  const community = await em.findOne(Community, { id: communityId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!community) throw badField(field, 'is not a community');
  if (community.status !== CommunityStatus.ACTIVE) throw badField(field, `"${community.name}" is retired and read-only`);
  return community;
}
