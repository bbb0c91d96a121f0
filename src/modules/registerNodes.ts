import { registerNode } from '../shared/nodes';
import { authorize } from '../shared/policy';
import { Member } from './members/member.entity';
import { Community } from './communities/community.entity';
import { Membership } from './communities/membership.entity';
import { Post } from './discussions/post.entity';
import { readableThread } from './discussions/thread.resolver';
import { readableResource } from './resources/resource.resolver';
import './mentoring/mentoring.nodes';
import './notifications/notification.nodes';
import './webhooks/webhook.nodes';
import './governance/roles/roles.nodes';

/** `node(id)` for every type, each through its own read policy. */
registerNode('Member', (ctx, id) => ctx.loaders.byId(Member).load(id));
registerNode('Community', (ctx, id) => ctx.loaders.byId(Community).load(id));
registerNode('Thread', readableThread);
registerNode('Membership', async (ctx, id) => {
  const membership = await ctx.loaders.byId(Membership).load(id);
  if (membership) await authorize(ctx.actor, 'read', membership, 'This membership is not visible to you');
  return membership;
});
registerNode('Post', async (ctx, id) => {
  const post = await ctx.loaders.byId(Post).load(id);
  if (post) await authorize(ctx.actor, 'read', post, 'This community is for members only');
  return post;
});
registerNode('Resource', readableResource);
import './governance/governance.nodes';
import './governance/reviews/reviews.nodes';
import './governance/standards/standards.nodes';
import './governance/support/support.nodes';
import './governance/proposals/proposal.nodes';
import './meetings/meeting/meeting.nodes';
import './meetings/surveys/survey.nodes';
import './meetings/rituals/ritual.nodes';
