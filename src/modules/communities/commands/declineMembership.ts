import type { Context } from '../../../server/context';
import { conflict } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import { Membership, MembershipStatus } from '../membership.entity';
import { lockMembership } from './loadMembership';

/** A community LEAD or staff turns down a PENDING request to join. Declining twice changes nothing. */
export async function declineMembership(ctx: Context, globalId: string): Promise<Membership> {
  requireMember(ctx.actor);
  const id = parseId(globalId, 'Membership', 'membershipId');
  return ctx.em.transactional(async (em) => {
    const membership = await lockMembership(em, { id });
    await authorize(ctx.actor, 'manage', membership.community, 'Only a community lead or staff can decline requests');
    if (membership.status === MembershipStatus.DECLINED) return membership;
    if (membership.status !== MembershipStatus.PENDING) throw conflict('Only a pending membership can be declined');
    membership.status = MembershipStatus.DECLINED;
    return membership;
  });
}
