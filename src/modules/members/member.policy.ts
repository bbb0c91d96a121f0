import { allow } from '../../shared/policy';
import { Member, OrgRole } from './member.entity';

/** Profiles are public; the email address is for the member themself and staff. */
allow(Member, 'readEmail', (actor, member) => actor.member?.id === member.id || actor.member?.orgRole === OrgRole.STAFF);

/**
 * Notification settings (time zone, email choice) and the inbox: the member themself only. Staff need none of it to
 * moderate, and a time zone says roughly where someone lives.
 */
allow(Member, 'readSettings', (actor, member) => actor.member?.id === member.id);
