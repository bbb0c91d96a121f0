import { allow } from '../../../shared/policy';
import { hasOrgAbility } from '../../members/organisation.policy';
import { AuditEntry } from './auditEntry.entity';

/** The log is the organisation's record: staff and board (the `readAuditLog` ability), on every path. */
allow(AuditEntry, 'read', (actor) => hasOrgAbility(actor.member, 'readAuditLog'));
