import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { Member } from '../../../members/member.entity';
import { recordAudit } from '../../audit/recordAudit';
import { formatCents, SupportRequest, type SupportKind } from '../supportRequest.entity';
import { MONEY_MESSAGE } from '../money';
import '../support.policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';

export interface RequestSupportProps {
  communityId: string;
  kind: SupportKind;
  details: string;
  /** Integer cents, not negative. */
  estimatedCostCents: number;
}

/**
 * A community's LEAD, meeting or event coordinator, or staff asks the organisation for support beyond the standard
 * support. It starts REQUESTED, for staff to decide (see decideSupportRequest).
 */
export async function requestSupport(scope: CommandScope, props: RequestSupportProps): Promise<SupportRequest> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  await authorize(scope.actor, 'requestSupport', community, "Only the community's lead, meeting and event coordinators, and staff can request support");
  if (!Number.isSafeInteger(props.estimatedCostCents) || props.estimatedCostCents < 0) throw badField('estimatedCost', MONEY_MESSAGE);
  return scope.em.transactional(async (em) => {
    // A retirement that committed since the check above wins: no new requests for a read-only community.
    await lockWritableCommunity(em, community.id);
    const request = new SupportRequest();
    request.community = em.getReference(Community, community.id);
    request.requestedBy = em.getReference(Member, member.id);
    request.kind = props.kind;
    request.details = props.details.trim();
    request.estimatedCostCents = props.estimatedCostCents;
    em.persist(request);
    await recordEvent(em, member.id, { type: 'SupportRequested', communityId: community.id, requestId: request.id, kind: request.kind });
    recordAudit(em, member.id, {
      action: 'supportRequest.requested',
      subject: { type: 'SupportRequest', id: request.id },
      communityId: community.id,
      details: { after: { kind: request.kind, estimatedCost: formatCents(request.estimatedCostCents), status: request.status } },
    });
    return request;
  });
}
