import type { Context } from '../../../context';
import { unauthenticated } from '../../../shared/errors';
import { Member } from '../member.entity';
import { decoyHash, verifyPassword } from '../password';
import type { AuthPayload, LogInInput } from '../member.inputs';
import { consumeAuthAttempt, resetAuthAttempts } from './authLimits';
import { normalizeEmail } from './signUp';

/** Wrong email and wrong password get the same answer, after the same work. Attempts are limited per account and IP. */
export async function logIn(ctx: Context, input: LogInInput): Promise<AuthPayload> {
  const emailKey = normalizeEmail(input.email);
  const limitKey = `login:${emailKey}:${ctx.ip}`;
  await consumeAuthAttempt(ctx, limitKey);
  const member = await ctx.em.findOne(Member, { emailKey });
  const hash = member?.passwordHash ?? (await decoyHash(ctx.services.config.passwordHashCost));
  const valid = await verifyPassword(input.password, hash);
  if (!member || !valid) throw unauthenticated('Email or password is incorrect');
  await resetAuthAttempts(ctx, limitKey);
  ctx.authenticatedMemberId = member.id;
  return { token: await ctx.services.tokens.issue(member.id), member };
}
