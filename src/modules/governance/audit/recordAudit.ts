import type { Em } from '../../../db/orm';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { AuditEntry } from './auditEntry.entity';

export interface AuditAction {
  /** `<subject>.<verb>`, e.g. `proposal.decided`. */
  action: string;
  subject: { type: string; id: string };
  communityId?: string | null;
  /** Before/after values and whatever else a reader of the log needs; global IDs for references. */
  details?: Record<string, unknown>;
}

/**
 * Writes one audit entry inside the governance action's transaction (it exists exactly when the action commits).
 * `actorId` null: the system.
 */
export function recordAudit(em: Em, actorId: string | null, entry: AuditAction): AuditEntry {
  if (!em.getTransactionContext()) throw new Error(`recordAudit(${entry.action}) outside a transaction`);
  const audit = new AuditEntry();
  audit.action = entry.action;
  audit.subjectType = entry.subject.type;
  audit.subjectId = entry.subject.id;
  audit.actor = actorId ? em.getReference(Member, actorId) : null;
  audit.community = entry.communityId ? em.getReference(Community, entry.communityId) : null;
  audit.details = entry.details ?? {};
  em.persist(audit);
  return audit;
}

/** `{ before, after }` of the fields that changed, for an audit entry's details. */
export function changes<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])) as Partial<T>,
    after: Object.fromEntries(changed.map((key) => [key, after[key]])) as Partial<T>,
  };
}
