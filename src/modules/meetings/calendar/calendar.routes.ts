import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Em } from '../../../db/orm';
import { scopeFor, type Services } from '../../../context';
import { fromGlobalId } from '../../../shared/ids';
import { BACKGROUND } from '../../../jobs/backgroundEm';
import { Member } from '../../members/member.entity';
import { Meeting } from '../meeting/meeting.entity';
import { calendarVersions } from './calendar.loaders';
import { verifyCalendarToken, type CalendarGrant } from './calendarTokens';
import { icsDocument } from './icsDocument';
import { feedEntries, readableEntries } from './queries/calendarEntries';

/** A refusal says nothing about the meeting (not even whether it exists beyond "not found"). */
function refuse(res: ServerResponse, status: 403 | 404 | 405): void {
  const text = { 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed' }[status];
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(status === 405 ? { allow: 'GET, HEAD' } : {}) });
  res.end(`${text}\n`);
}

function sendCalendar(req: IncomingMessage, res: ServerResponse, body: string, filename: string, personal: boolean): void {
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8; method=PUBLISH',
    'content-disposition': `inline; filename="${filename}"`,
    // A signed link is someone's own: no shared cache keeps it. A public meeting may be cached briefly.
    'cache-control': personal ? 'private, no-store' : 'public, max-age=300',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The member a grant names, if it is still current (a reset calendar, or a deleted member, voids it). */
async function grantee(em: Em, grant: CalendarGrant): Promise<Member | null> {
  const [version] = await calendarVersions(em, [grant.memberId], BACKGROUND);
  if (version !== grant.version) return null;
  return em.findOne(Member, { id: grant.memberId });
}

/**
 * `GET /calendar/meetings/<meeting ID>.ics[?token=…]`: one meeting. Without a token the reader is anonymous (an
 * OPEN community's meeting is public); with one, the member it names, checked against their rights now. A
 * RESTRICTED community's meeting without a valid, current token for a member who may read it is 403, no content.
 */
async function meetingRoute(services: Services, req: IncomingMessage, res: ServerResponse, globalId: string, token: string | null): Promise<void> {
  const decoded = fromGlobalId(globalId);
  if (!decoded || decoded.type !== 'Meeting') return refuse(res, 404);
  const em = services.orm.em.fork() as Em;
  let reader: Member | null = null;
  if (token !== null) {
    const grant = verifyCalendarToken(services.config, token);
    if (!grant || grant.kind !== 'meeting' || grant.meetingId !== decoded.id) return refuse(res, 403);
    reader = await grantee(em, grant);
    if (!reader) return refuse(res, 403);
  }
  const meeting = await em.findOne(Meeting, { id: decoded.id });
  if (!meeting) return refuse(res, 404);
  const ctx = scopeFor(services, reader, em);
  const [entry] = await readableEntries(ctx, [meeting]);
  if (!entry) return refuse(res, 403);
  sendCalendar(req, res, icsDocument(services.config, [entry]), 'meeting.ics', reader !== null);
}

/** `GET /calendar/feed/<token>.ics`: the member's feed (see feedEntries); a forged, altered or reset token is 403. */
async function feedRoute(services: Services, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const grant = verifyCalendarToken(services.config, token);
  if (!grant || grant.kind !== 'feed') return refuse(res, 403);
  const em = services.orm.em.fork() as Em;
  const member = await grantee(em, grant);
  if (!member) return refuse(res, 403);
  const entries = await feedEntries(scopeFor(services, member, em), member.id);
  sendCalendar(req, res, icsDocument(services.config, entries, { name: `PracticeHub: ${member.displayName}` }), 'practicehub.ics', true);
}

/** The calendar routes (mounted beside /graphql by the server); true when the request was theirs. */
export function calendarRoutes(services: Services) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const meeting = /^\/calendar\/meetings\/([A-Za-z0-9_-]{1,200})\.ics$/.exec(url.pathname);
    const feed = /^\/calendar\/feed\/([A-Za-z0-9_.-]{1,600})\.ics$/.exec(url.pathname);
    if (!meeting && !feed) {
      if (url.pathname.startsWith('/calendar/')) refuse(res, 404);
      return url.pathname.startsWith('/calendar/');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405);
      return true;
    }
    if (meeting) await meetingRoute(services, req, res, meeting[1]!, url.searchParams.get('token'));
    else await feedRoute(services, req, res, feed![1]!);
    return true;
  };
}
