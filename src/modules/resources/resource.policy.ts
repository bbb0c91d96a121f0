import { allow, can, verdict } from '../../shared/policy';
import { Resource } from './resource.entity';

/** Whoever may read the community's content (OPEN: everyone; RESTRICTED: ACTIVE members and staff). */
allow(Resource, 'read', async (actor, resource) => can(actor, 'readContent', await actor.community(resource.community.id)));

/** Endorsing is writing: ACTIVE members of the community only. */
allow(Resource, 'endorse', async (actor, resource) => verdict(actor, 'write', await actor.community(resource.community.id)));

/**
 * The sharer (it is their contribution, even after they stop being an ACTIVE member), a community LEAD or staff
 * (`manage`). Discussion monitors moderate discussion, not the resource library. removeResource checks `read`
 * first, so a former member of a RESTRICTED community can no longer remove what they shared there (FORBIDDEN);
 * in an OPEN community they still can.
 */
allow(Resource, 'remove', async (actor, resource) => {
  if (actor.member && resource.sharedBy.id === actor.member.id) return true;
  return can(actor, 'manage', await actor.community(resource.community.id));
});
