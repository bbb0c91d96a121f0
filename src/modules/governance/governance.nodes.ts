import { registerNode } from '../../shared/nodes';
import { authorize } from '../../shared/policy';
import { AuditEntry } from './audit/auditEntry.entity';
import './audit/audit.policy';

/** `node(id)` for governance types, each through its own read policy. */
registerNode('AuditEntry', async (ctx, id) => {
  const entry = await ctx.loaders.byId(AuditEntry).load(id);
  if (entry) await authorize(ctx.actor, 'read', entry, 'Only staff and board members can read the audit log');
  return entry;
});
