import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { conflict } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { Member } from '../../../members/member.entity';
import { recordAudit } from '../../audit/recordAudit';
import { CommunityStandard } from '../communityStandard.entity';
import { currentStandardsVersion } from '../standardsVersion';
import '../standards.policy';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';

export interface AddCommunityStandardProps {
  communityId: string;
  text: string;
  rationale: string;
}

/** Community.standards lists every addition unpaged: a community keeps a readable number of them. */
export const MAX_ADDITIONS = 50;

/**
 * A community's LEAD or staff adds a standard (with its rationale) to an ACTIVE community. Additions only: the
 * organisation's code and earlier additions stay as they are, and the community's standards version moves on.
 */
export async function addCommunityStandard(scope: CommandScope, props: AddCommunityStandardProps): Promise<Community> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  await authorize(scope.actor, 'addStandard', community, "Only the community's leads and staff can add standards");
  return scope.em.transactional(async (em) => {
    // The community's row lock orders additions (each version names one set) and sees a retirement that just committed.
    await lockWritableCommunity(em, community.id, 'update');
    const before = await currentStandardsVersion(em, community.id);
    if ((await em.count(CommunityStandard, { community: community.id })) >= MAX_ADDITIONS) {
      throw conflict(`A community has at most ${MAX_ADDITIONS} additional standards`);
    }
    const standard = new CommunityStandard();
    standard.community = em.getReference(Community, community.id);
    standard.text = props.text.trim();
    standard.rationale = props.rationale.trim();
    standard.addedBy = em.getReference(Member, member.id);
    em.persist(standard);
    await em.flush();
    const version = await currentStandardsVersion(em, community.id);
    await recordEvent(em, member.id, { type: 'CommunityStandardAdded', communityId: community.id, standardId: standard.id, version });
    recordAudit(em, member.id, {
      action: 'standard.added',
      subject: { type: 'CommunityStandard', id: standard.id },
      communityId: community.id,
      details: { text: standard.text, rationale: standard.rationale, before: { version: before }, after: { version } },
    });
    return community;
  });
}
