import type { CommandScope } from '../../../context';
import { badField } from '../../../shared/errors';
import { authorize, requireMember } from '../../../shared/policy';
import { Community, CommunityVisibility } from '../community.entity';
import { ORGANISATION } from '../../members/organisation.policy';
import { foundCommunity } from './foundCommunity';

export interface CreateCommunityProps {
  name: string;
  slug: string;
  description: string;
  topics: string[];
  visibility: CommunityVisibility;
  membershipRationale?: string | null;
  /** Also make the creator an ACTIVE member with the LEAD role. */
  joinAsLead: boolean;
}

/** Staff or board found a community directly (everyone else proposes one); a RESTRICTED one must say why. */
export async function createCommunity(scope: CommandScope, props: CreateCommunityProps): Promise<Community> {
  const creator = requireMember(scope.actor);
  await authorize(scope.actor, 'createCommunity', ORGANISATION, 'Only staff or board members can create communities');
  const rationale = props.membershipRationale?.trim() || null;
  if (props.visibility === CommunityVisibility.RESTRICTED && !rationale) {
    throw badField('membershipRationale', 'is required when the community is RESTRICTED');
  }
  return scope.em.transactional((em) =>
    foundCommunity(em, scope.services.config, creator.id, {
      ...props,
      membershipRationale: rationale,
      leadId: props.joinAsLead ? creator.id : null,
    }),
  );
}
