import type { Services } from '../../../context';
import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import { Community, CommunityStatus } from '../../communities/community.entity';
import { windDownMeetingContent } from '../../meetings/lifecycle/windDown';
import { changes, recordAudit } from '../audit/recordAudit';

export interface Retirement {
  change: 'RETIRED' | 'SPLIT' | 'MERGED';
  reason: string;
  /** The parts of a split, or the merged community. */
  successors: Community[];
  /** What else the audit log should say (what moved, counts). */
  details?: Record<string, unknown>;
}

const AUDIT_ACTION = { RETIRED: 'community.retired', SPLIT: 'community.split', MERGED: 'community.merged' } as const;

const state = (community: Community) => ({
  status: community.status,
  listed: community.listed,
  retiredAt: community.retiredAt?.toISOString() ?? null,
  mergedInto: community.mergedInto?.nodeId ?? null,
});

/**
 * Makes a (locked, ACTIVE) community RETIRED inside the caller's transaction: unlisted, read-only (the community
 * policy refuses writes to non-ACTIVE communities) and still readable as an archive; with the CommunityRetired event
 * (live subscribers and COMMUNITY_RETIRED webhooks) and its audit entry. What it still has of meetings winds down
 * (meetings ahead cancelled, its coming annual meeting included; rituals paused; open time polls and surveys closed:
 * see windDownMeetingContent), so nothing keeps firing for a community that holds no more meetings.
 */
export async function retire(em: Em, services: Pick<Services, 'jobs'>, actorId: string, community: Community, retirement: Retirement): Promise<void> {
  const before = state(community);
  const woundDown = await windDownMeetingContent(em, services, actorId, community.id);
  community.status = CommunityStatus.RETIRED;
  community.retiredAt = new Date();
  community.listed = false;
  if (retirement.change === 'MERGED') community.mergedInto = retirement.successors[0]!;
  const successorIds = retirement.successors.map((s) => s.id);
  await recordEvent(em, actorId, { type: 'CommunityRetired', communityId: community.id, change: retirement.change, reason: retirement.reason, successorIds });
  recordAudit(em, actorId, {
    action: AUDIT_ACTION[retirement.change],
    subject: { type: 'Community', id: community.id },
    communityId: community.id,
    details: {
      ...changes(before, state(community)),
      reason: retirement.reason,
      successors: retirement.successors.map((s) => ({ id: s.nodeId, slug: s.slug })),
      ...retirement.details,
      woundDown,
    },
  });
}
