import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badUserInput } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import type { Community } from '../../../communities/community.entity';
import { normaliseTopics } from '../../../communities/commands/foundCommunity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { changes, recordAudit } from '../../audit/recordAudit';
import { lockActiveCommunity } from '../lockCommunity';

export interface ChangeCommunityFocusProps {
  communityId: string;
  /** Omitted (null or undefined): unchanged. */
  name?: string | null;
  description?: string | null;
  topics?: string[] | null;
}

const focus = (community: Community) => ({ name: community.name, description: community.description, topics: community.topics });

/**
 * Staff change what an ACTIVE community is about (an annual review's CHANGE_FOCUS): its name, description or topics.
 * Its slug, members and content stay; subscribers hear FOCUS_CHANGED; the audit entry holds before and after.
 */
export async function changeCommunityFocus(scope: CommandScope, props: ChangeCommunityFocusProps): Promise<Community> {
  const actor = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, 'Only staff can change the focus of a community');
  if (props.name == null && props.description == null && props.topics == null) {
    throw badUserInput(['name', 'description', 'topics'].map((field) => ({ field, message: 'give at least one of name, description and topics' })));
  }
  return scope.em.transactional(async (em) => {
    const community = await lockActiveCommunity(em, props.communityId, 'communityId');
    const before = focus(community);
    if (props.name != null) community.name = props.name.trim();
    if (props.description != null) community.description = props.description.trim();
    if (props.topics != null) community.topics = normaliseTopics(props.topics);
    const changed = changes(before, focus(community));
    await recordEvent(em, actor.id, { type: 'CommunityFocusChanged', communityId: community.id, change: 'FOCUS_CHANGED', successorIds: [] });
    recordAudit(em, actor.id, {
      action: 'community.focusChanged',
      subject: { type: 'Community', id: community.id },
      communityId: community.id,
      details: changed,
    });
    return community;
  });
}
