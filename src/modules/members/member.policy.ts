import { allow } from '../../shared/policy';
import { Member } from './member.entity';
import { hasOrgAbility } from './organisation.policy';

/** Profiles are public; the email address is for the member themself and staff. */
allow(Member, 'readEmail', (actor, member) => actor.member?.id === member.id || hasOrgAbility(actor.member, 'readMemberEmails'));
