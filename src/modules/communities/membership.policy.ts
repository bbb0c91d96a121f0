import { can, allow } from '../../shared/policy';
import { Membership } from './membership.entity';

/** A membership is visible to its member, and to whoever may read the community's content. */
allow(Membership, 'read', async (actor, membership) =>
  actor.member?.id === membership.member.id || can(actor, 'readContent', await actor.community(membership.community.id)),
);

allow(Membership, 'update', (actor, membership) => actor.member?.id === membership.member.id);
