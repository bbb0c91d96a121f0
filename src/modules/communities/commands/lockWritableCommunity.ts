import type { Em } from '../../../db/orm';
import { forbidden, notFound } from '../../../shared/errors';
import { CommunityStatus } from '../community.entity';

/**
 * Inside a writing transaction (a new thread, a shared resource): a SHARE lock on the community row, then its status
 * re-read. A split, merge or retirement holds the row FOR UPDATE while it moves content, so a write that raced one
 * waits for it and then finds the community retired (refused, nothing written) instead of landing in an archive
 * after its content moved on. Shared locks do not block each other: writers never wait for writers. `update` is for
 * writes that must also be ordered among themselves (a community's standards: each version names one set).
 */
export async function lockWritableCommunity(em: Em, communityId: string, mode: 'share' | 'update' = 'share'): Promise<void> {
  const [row] = await em.execute<{ status: CommunityStatus }[]>(`select status from community where id = ? for ${mode}`, [communityId]);
  if (!row) throw notFound('Community');
  if (row.status !== CommunityStatus.ACTIVE) throw forbidden(`This community is ${row.status.toLowerCase()} and read-only`);
}
