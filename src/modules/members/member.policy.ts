import { allow } from '../../shared/policy';
import { Member } from './member.entity';
import { hasOrgAbility } from './organisation.policy';

/** Profiles are public; the email address is for the member themself and staff. */
allow(Member, 'readEmail', (actor, member) => actor.member?.id === member.id || hasOrgAbility(actor.member, 'readMemberEmails'));

/**
 * Notification settings (time zone, email choice) and the inbox: the member themself only. Staff need none of it to
 * moderate, and a time zone says roughly where someone lives.
 */
allow(Member, 'readSettings', (actor, member) => actor.member?.id === member.id);
