import { LockMode } from '@mikro-orm/core';
import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField, conflict, notFound } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { recordAudit } from '../../audit/recordAudit';
import { SupportRequest, SupportRequestStatus } from '../supportRequest.entity';
import { authorizeReadRequest } from '../support.policy';

export interface DecideSupportRequestProps {
  requestId: string;
  approve: boolean;
  note?: string | null;
}

/**
 * Staff decide a REQUESTED request: approved, it is APPROVED, except an IN_PERSON_MEETING, which becomes
 * AWAITING_BOARD (in-person expenses need the board's approval before any planning) and is then the board's alone to
 * approve or decline. Declining ends a request at either stage and needs a note. A decided request is CONFLICT.
 */
export async function decideSupportRequest(scope: CommandScope, props: DecideSupportRequestProps): Promise<SupportRequest> {
  const member = requireMember(scope.actor);
  const found = await scope.loaders.byId(SupportRequest).load(props.requestId);
  if (!found) throw notFound('Support request');
  await authorizeReadRequest(scope.actor, found);
  const note = props.note?.trim() || null;
  return scope.em.transactional(async (em) => {
    const request = await em.findOneOrFail(SupportRequest, { id: props.requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // Checked on the locked row: a decision that committed meanwhile moved the request to another stage.
    await authorize(scope.actor, 'decide', request, 'Only staff decide support requests');
    if (request.decided) throw conflict(`This support request is already ${request.status.toLowerCase()}`);
    if (!props.approve && !note) throw badField('note', 'is required when declining');
    const before = request.status;
    const stage = request.status === SupportRequestStatus.AWAITING_BOARD ? 'BOARD' : 'STAFF';
    const now = new Date();
    if (stage === 'STAFF') {
      request.staffNote = note;
      request.staffDecidedBy = em.getReference(Member, member.id);
      request.staffDecidedAt = now;
      if (!props.approve) request.status = SupportRequestStatus.DECLINED;
      else request.status = request.needsBoardApproval ? SupportRequestStatus.AWAITING_BOARD : SupportRequestStatus.APPROVED;
    } else {
      request.boardNote = note;
      request.boardDecidedBy = em.getReference(Member, member.id);
      request.boardDecidedAt = now;
      request.status = props.approve ? SupportRequestStatus.APPROVED : SupportRequestStatus.DECLINED;
    }
    const communityId = request.community.id;
    await recordEvent(em, member.id, { type: 'SupportRequestDecided', communityId, requestId: request.id, kind: request.kind, stage, status: request.status });
    recordAudit(em, member.id, {
      action: 'supportRequest.decided',
      subject: { type: 'SupportRequest', id: request.id },
      communityId,
      details: { stage, approve: props.approve, note, before: { status: before }, after: { status: request.status } },
    });
    return request;
  });
}
