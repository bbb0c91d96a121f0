import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../../config';

/**
 * Calendar links carry a token `<payload>.<signature>` (payload: base64url JSON; signature: base64url HMAC-SHA256
 * under a key derived from JWT_SECRET for calendars alone, so neither a session token nor an unsubscribe token passes
 * as one). A token names its member and their calendar version (calendar_feed): resetCalendarFeed bumps the version
 * and every earlier link stops working. A meeting's token also names the meeting, so it opens that meeting only.
 * The token proves who asks; what they may read is checked on every fetch against their rights at that moment.
 */
export type CalendarGrant = { kind: 'feed'; memberId: string; version: number } | { kind: 'meeting'; memberId: string; version: number; meetingId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keys = new Map<string, Buffer>();

function signingKey(jwtSecret: string): Buffer {
  let key = keys.get(jwtSecret);
  if (!key) {
    key = createHmac('sha256', jwtSecret).update('practicehub/calendar/v1').digest();
    keys.set(jwtSecret, key);
  }
  return key;
}

const sign = (jwtSecret: string, payload: string) => createHmac('sha256', signingKey(jwtSecret)).update(payload).digest();

export function calendarToken(config: Pick<Config, 'jwtSecret'>, grant: CalendarGrant): string {
  const data = grant.kind === 'feed' ? { k: 'f', m: grant.memberId, v: grant.version } : { k: 'e', m: grant.memberId, v: grant.version, e: grant.meetingId };
  const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${payload}.${sign(config.jwtSecret, payload).toString('base64url')}`;
}

/** What a token grants, or null when it is malformed, forged or altered (its version is checked by the caller). */
export function verifyCalendarToken(config: Pick<Config, 'jwtSecret'>, token: string): CalendarGrant | null {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  // One spelling per signature: the last character's unused bits must be zero (no altered link still passes).
  if (given.toString('base64url') !== signature) return null;
  const expected = sign(config.jwtSecret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof data.m !== 'string' || !UUID.test(data.m) || !Number.isSafeInteger(data.v)) return null;
  const base = { memberId: data.m, version: data.v as number };
  if (data.k === 'f') return { kind: 'feed', ...base };
  if (data.k === 'e' && typeof data.e === 'string' && UUID.test(data.e)) return { kind: 'meeting', ...base, meetingId: data.e };
  return null;
}
