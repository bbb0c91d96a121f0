import { recordEvent } from '../../../events/record';
import type { CommandScope } from '../../../context';
import { conflict } from '../../../shared/errors';
import { Member, OrgRole } from '../member.entity';
import { hashPassword } from '../password';
import type { AuthPayload } from '../member.inputs';
import { consumeAuthAttempt } from './authLimits';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface SignUpProps {
  email: string;
  password: string;
  displayName: string;
  /** The caller's address: sign-ups are counted per IP. */
  ip: string;
}

/**
 * Creates an account; BOOTSTRAP_STAFF_EMAILS accounts start as STAFF. Emails are unique regardless of case.
 * The caller may then let the request see the member's private fields (Context.authenticatedMemberId).
 */
export async function signUp(scope: CommandScope, props: SignUpProps): Promise<AuthPayload> {
  const emailKey = normalizeEmail(props.email);
  await consumeAuthAttempt(scope, `signup:${props.ip}`, 'signUpLimiter');
  const { config } = scope.services;
  const passwordHash = await hashPassword(props.password, config.passwordHashCost);
  const member = await scope.em.transactional(async (em) => {
    if (await em.count(Member, { emailKey })) throw conflict('An account with this email already exists');
    const created = new Member();
    created.email = props.email.trim();
    created.emailKey = emailKey;
    created.passwordHash = passwordHash;
    created.displayName = props.displayName.trim();
    created.orgRole = config.bootstrapStaffEmails.has(emailKey) ? OrgRole.STAFF : OrgRole.MEMBER;
    em.persist(created);
    await recordEvent(em, created.id, { type: 'MemberSignedUp', memberId: created.id });
    return created;
  });
  return { token: await scope.services.tokens.issue(member.id), member };
}
