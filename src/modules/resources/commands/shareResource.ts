import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { badField } from '../../../shared/errors';
import { parseId } from '../../../shared/ids';
import { authorize, requireMember } from '../../../shared/policy';
import type { ShareResourceInput } from '../resource.inputs';
import { Resource } from '../resource.entity';
import { normalizeHttpUrl } from '../resourceUrl';
import { normalizeTags } from '../resourceTags';

/** ACTIVE members share a link with their community; everyone following the community hears of it after commit. */
export async function shareResource(ctx: Context, input: ShareResourceInput): Promise<Resource> {
  const member = requireMember(ctx.actor);
  const communityId = parseId(input.communityId, 'Community', 'communityId');
  const community = await ctx.actor.community(communityId);
  await authorize(ctx.actor, 'write', community, 'Only ACTIVE members can share resources here');
  // Validation already refused anything else; normalising is what gets stored.
  const url = normalizeHttpUrl(input.url);
  if (!url) throw badField('url', 'must be an absolute http:// or https:// URL');
  return ctx.em.transactional(async (em) => {
    const resource = new Resource();
    resource.community = community;
    resource.sharedBy = member;
    resource.title = input.title.trim();
    resource.url = url;
    resource.description = input.description.trim();
    resource.kind = input.kind;
    resource.tags = normalizeTags(input.tags);
    em.persist(resource);
    await recordEvent(em, member.id, { type: 'ResourceShared', communityId, resourceId: resource.id });
    return resource;
  });
}
