import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { badField } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Resource, type ResourceKind } from '../resource.entity';
import { normalizeHttpUrl } from '../resourceUrl';
import { normalizeTags } from '../resourceTags';
import { lockWritableCommunity } from '../../communities/commands/lockWritableCommunity';

export interface ShareResourceProps {
  communityId: string;
  title: string;
  /** An absolute http:// or https:// URL (normalised here). */
  url: string;
  description: string;
  kind: ResourceKind;
  tags: string[];
}

/** ACTIVE members share a link with their community; everyone following the community hears of it after commit. */
export async function shareResource(scope: CommandScope, props: ShareResourceProps): Promise<Resource> {
  const member = requireMember(scope.actor);
  const { communityId } = props;
  const community = await scope.actor.community(communityId);
  await authorize(scope.actor, 'write', community, 'Only ACTIVE members can share resources here');
  // Validation already refused anything else; normalising is what gets stored.
  const url = normalizeHttpUrl(props.url);
  if (!url) throw badField('url', 'must be an absolute http:// or https:// URL');
  return scope.em.transactional(async (em) => {
    await lockWritableCommunity(em, communityId);
    const resource = new Resource();
    resource.community = community;
    resource.sharedBy = member;
    resource.title = props.title.trim();
    resource.url = url;
    resource.description = props.description.trim();
    resource.kind = props.kind;
    resource.tags = normalizeTags(props.tags);
    em.persist(resource);
    await recordEvent(em, member.id, { type: 'ResourceShared', communityId, resourceId: resource.id });
    return resource;
  });
}
