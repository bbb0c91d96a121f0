import { recordEvent } from '../../../events/record';
import type { Context } from '../../../context';
import { conflict } from '../../../shared/errors';
import { Member, OrgRole } from '../member.entity';
import { hashPassword } from '../password';
import type { AuthPayload, SignUpInput } from '../member.inputs';
import { consumeAuthAttempt } from './authLimits';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Creates an account; BOOTSTRAP_STAFF_EMAILS accounts start as STAFF. Emails are unique regardless of case. */
export async function signUp(ctx: Context, input: SignUpInput): Promise<AuthPayload> {
  const emailKey = normalizeEmail(input.email);
  await consumeAuthAttempt(ctx, `signup:${ctx.ip}`, 'signUpLimiter');
  const { config } = ctx.services;
  const passwordHash = await hashPassword(input.password, config.passwordHashCost);
  const member = await ctx.em.transactional(async (em) => {
    if (await em.count(Member, { emailKey })) throw conflict('An account with this email already exists');
    const created = new Member();
    created.email = input.email.trim();
    created.emailKey = emailKey;
    created.passwordHash = passwordHash;
    created.displayName = input.displayName.trim();
    created.orgRole = config.bootstrapStaffEmails.has(emailKey) ? OrgRole.STAFF : OrgRole.MEMBER;
    em.persist(created);
    await recordEvent(em, created.id, { type: 'MemberSignedUp', memberId: created.id });
    return created;
  });
  ctx.authenticatedMemberId = member.id;
  return { token: await ctx.services.tokens.issue(member.id), member };
}
