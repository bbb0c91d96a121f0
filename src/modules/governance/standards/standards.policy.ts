import { allow, verdict } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { Membership } from '../../communities/membership.entity';
import { CodeOfConduct } from './codeOfConduct.entity';
import { CommunityStandard } from './communityStandard.entity';
import { readOnlyRefusal } from '../../communities/community.policy';

/**
 * The code of conduct and every community's additions are public, like a community's name and description: whoever
 * considers joining (a RESTRICTED community too) reads what they would agree to.
 */
allow(CodeOfConduct, 'read', () => true);
allow(CommunityStandard, 'read', () => true);

/**
 * A community's LEADs and staff (`manage`) add standards, to an ACTIVE community only. There is no rule for editing or
 * removing one, nor for changing the organisation's code from a community: additions only.
 */
allow(Community, 'addStandard', (actor, community) => readOnlyRefusal(community) ?? verdict(actor, 'manage', community));

/** Only the member themself accepts, while ACTIVE. */
allow(Membership, 'acceptStandards', (actor, membership) => actor.member?.id === membership.member.id && membership.isActive);
