import { allow } from '../../shared/policy';
import { Member, OrgRole } from './member.entity';

/** Profiles are public; the email address is for the member themself and staff. */
allow(Member, 'readEmail', (actor, member) => actor.member?.id === member.id || actor.member?.orgRole === OrgRole.STAFF);
