import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { requireMember } from '../../../shared/policy';
import type { Member } from '../member.entity';
import type { UpdateProfileInput } from '../member.inputs';

/** The profile fields as plain values (no IDs among them): whatever UpdateProfileInput carries. */
export type UpdateProfileProps = Pick<UpdateProfileInput, keyof UpdateProfileInput>;

/** Members edit only their own profile; expertise is trimmed and de-duplicated. */
export async function updateProfile(ctx: CommandScope, input: UpdateProfileProps): Promise<Member> {
  const member = requireMember(ctx.actor);
  await ctx.em.transactional(async (em) => {
    if (input.displayName !== undefined && input.displayName !== null) member.displayName = input.displayName.trim();
    if (input.bio !== undefined) member.bio = input.bio?.trim() ? input.bio.trim() : null;
    if (input.appearInPresence !== undefined && input.appearInPresence !== null) member.appearInPresence = input.appearInPresence;
    if (input.timeZone !== undefined) member.timeZone = input.timeZone;
    if (input.emailNotifications !== undefined && input.emailNotifications !== null) member.emailNotifications = input.emailNotifications;
    if (input.expertise) {
      const seen = new Set<string>();
      member.expertise = input.expertise
        .map((entry) => entry.trim())
        .filter((entry) => entry && !seen.has(entry.toLowerCase()) && seen.add(entry.toLowerCase()));
    }
    await recordEvent(em, member.id, { type: 'ProfileUpdated', memberId: member.id });
  });
  return member;
}
