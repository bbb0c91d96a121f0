import type { CommandScope } from '../../../context';
import { unauthenticated } from '../../../shared/errors';
import { Member } from '../member.entity';
import { decoyHash, verifyPassword } from '../password';
import type { AuthPayload } from '../member.inputs';
import { checkFailedLogIns, consumeAuthAttempt, countFailedLogIn, resetAuthAttempts } from './authLimits';
import { normalizeEmail } from './signUp';

export interface LogInProps {
  email: string;
  password: string;
  /** The caller's address: attempts are counted per account and IP. */
  ip: string;
}

/**
 * Wrong email and wrong password get the same answer, after the same work. Attempts are limited per account and IP,
 * and failures per IP across all emails (AUTH_MAX_FAILURES_PER_IP_PER_HOUR).
 * The caller may then let the request see the member's private fields (Context.authenticatedMemberId).
 */
export async function logIn(scope: CommandScope, props: LogInProps): Promise<AuthPayload> {
  const emailKey = normalizeEmail(props.email);
  const limitKey = `login:${emailKey}:${props.ip}`;
  await checkFailedLogIns(scope, props.ip);
  await consumeAuthAttempt(scope, limitKey);
  const member = await scope.em.findOne(Member, { emailKey });
  const hash = member?.passwordHash ?? (await decoyHash(scope.services.config.passwordHashCost));
  const valid = await verifyPassword(props.password, hash);
  if (!member || !valid) {
    await countFailedLogIn(scope, props.ip);
    throw unauthenticated('Email or password is incorrect');
  }
  await resetAuthAttempts(scope, limitKey);
  return { token: await scope.services.tokens.issue(member.id), member };
}
