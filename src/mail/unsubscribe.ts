import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

/**
 * One-click unsubscribe (RFC 8058). Every mail names what it can stop: one community's mail, one digest
 * frequency, or direct notification email. The link carries a token `<payload>.<signature>`: the payload is
 * base64url JSON, the signature base64url HMAC-SHA256 under a key derived from JWT_SECRET (so a session token
 * can never pass as an unsubscribe token, nor the reverse). Tokens do not expire: an old mail's link keeps working.
 */
export type UnsubscribeScope =
  | { kind: 'community'; communityId: string }
  | { kind: 'digest'; frequency: 'DAILY' | 'WEEKLY' }
  | { kind: 'direct' };

export interface UnsubscribeRequest {
  memberId: string;
  scope: UnsubscribeScope;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keys = new Map<string, Buffer>();

function signingKey(jwtSecret: string): Buffer {
  let key = keys.get(jwtSecret);
  if (!key) {
    key = createHmac('sha256', jwtSecret).update('practicehub/unsubscribe/v1').digest();
    keys.set(jwtSecret, key);
  }
  return key;
}

const sign = (jwtSecret: string, payload: string) => createHmac('sha256', signingKey(jwtSecret)).update(payload).digest();

/** Short field names keep the link short. */
function encodeScope(scope: UnsubscribeScope): Record<string, string> {
  switch (scope.kind) {
    case 'community':
      return { s: 'c', c: scope.communityId };
    case 'digest':
      return { s: 'd', f: scope.frequency };
    case 'direct':
      return { s: 'x' };
  }
}

export function unsubscribeToken(config: Pick<Config, 'jwtSecret'>, request: UnsubscribeRequest): string {
  const payload = Buffer.from(JSON.stringify({ m: request.memberId, ...encodeScope(request.scope) })).toString('base64url');
  return `${payload}.${sign(config.jwtSecret, payload).toString('base64url')}`;
}

/** `PUBLIC_URL/unsubscribe/<token>`: the List-Unsubscribe target. */
export function unsubscribeUrl(config: Pick<Config, 'jwtSecret' | 'publicUrl'>, request: UnsubscribeRequest): string {
  return `${config.publicUrl}/unsubscribe/${unsubscribeToken(config, request)}`;
}

/** The request a token stands for, or null when it is malformed, forged or altered. */
export function verifyUnsubscribeToken(config: Pick<Config, 'jwtSecret'>, token: string): UnsubscribeRequest | null {
  const match = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(config.jwtSecret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof data.m !== 'string' || !UUID.test(data.m)) return null;
  const memberId = data.m;
  if (data.s === 'c' && typeof data.c === 'string' && UUID.test(data.c)) return { memberId, scope: { kind: 'community', communityId: data.c } };
  if (data.s === 'd' && (data.f === 'DAILY' || data.f === 'WEEKLY')) return { memberId, scope: { kind: 'digest', frequency: data.f } };
  if (data.s === 'x') return { memberId, scope: { kind: 'direct' } };
  return null;
}

/** The headers RFC 8058 asks for; every mail carries them. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
