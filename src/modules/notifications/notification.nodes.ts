import { forbidden, unauthenticated } from '../../shared/errors';
import { registerNode } from '../../shared/nodes';
import { can } from '../../shared/policy';
import { Notification } from './notification.entity';
import './notification.policy';

/** `node(id)` of a notification: its recipient only, while they may read what it is about. */
registerNode('Notification', async (ctx, id) => {
  if (!ctx.actor.member) throw unauthenticated('Sign in to see your notifications');
  const notification = await ctx.loaders.byId(Notification).load(id);
  if (notification && !(await can(ctx.actor, 'read', notification))) {
    throw forbidden(notification.recipient.id === ctx.actor.member.id ? 'This community is for members only' : 'This notification is not yours');
  }
  return notification;
});
