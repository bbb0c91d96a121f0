import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Em } from '../db/orm';
import type { Services } from '../context';
import { applyUnsubscribe } from './commands/applyUnsubscribe';
import { findMail, listMailbox } from './localMailbox';
import { mailboxListPage, mailboxMessagePage, messagePage, unsubscribeConfirmPage, unsubscribeDonePage } from './pages';
import { verifyUnsubscribeToken, type UnsubscribeRequest } from './unsubscribe';

/** Pages with no script; inline styles only; forms post back to this origin; never framed. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const MAX_FORM_BYTES = 16_384;

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    ...headers,
  });
  res.end(html);
}

function readForm(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * RFC 8058: the POST carries `List-Unsubscribe=One-Click`, as application/x-www-form-urlencoded or as
 * multipart/form-data (both are what mail clients send).
 */
function isOneClickBody(contentType: string | undefined, body: string): boolean {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  }
  if (type && !type.startsWith('application/x-www-form-urlencoded')) return false;
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

async function describe(em: Em, request: UnsubscribeRequest): Promise<string> {
  const { scope } = request;
  if (scope.kind === 'digest') return `the ${scope.frequency === 'DAILY' ? 'daily' : 'weekly'} digest email`;
  if (scope.kind === 'direct') return 'emails about replies, answers, mentoring and other notifications for you';
  const [community] = await em.execute<{ name: string }[]>('select name from community where id = ?', [scope.communityId]);
  return community ? `email about ${community.name}` : 'email about this community';
}

async function unsubscribeRoute(services: Services, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    return sendHtml(res, 405, messagePage('Method not allowed', 'Use GET or POST.'), { allow: 'GET, POST' });
  }
  const request = verifyUnsubscribeToken(services.config, token);
  if (!request) {
    // Drain the body so the client sees the answer rather than a reset connection.
    if (req.method === 'POST') await readForm(req).catch(() => null);
    return sendHtml(res, 400, messagePage('Invalid link', 'This unsubscribe link is not valid. Nothing was changed.'));
  }
  const em = services.orm.em.fork() as Em;
  const what = await describe(em, request);
  if (req.method === 'GET') {
    return sendHtml(res, 200, unsubscribeConfirmPage(what, `/unsubscribe/${token}`));
  }
  const body = await readForm(req);
  if (body === null || !isOneClickBody(req.headers['content-type'], body)) {
    return sendHtml(res, 400, messagePage('Bad request', 'An unsubscribe request must carry List-Unsubscribe=One-Click. Nothing was changed.'));
  }
  const outcome = await applyUnsubscribe(em, request);
  if (outcome === 'not-found') return sendHtml(res, 404, messagePage('Not found', 'There is nothing to unsubscribe from here any more.'));
  return sendHtml(res, 200, unsubscribeDonePage(what, outcome === 'already'));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The local mailbox is offered only when mail is kept locally (SMTP_URL unset), outside production, and to a
 * browser on this machine: it shows every member's mail, unsubscribe links included.
 */
async function mailboxRoute(services: Services, req: IncomingMessage, res: ServerResponse, id: string | null): Promise<void> {
  if (services.config.smtpUrl || services.config.production) {
    return sendHtml(res, 404, messagePage('No local mailbox', 'Mail is sent through SMTP (or this is production): there is no local mailbox.'));
  }
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '') || (services.config.trustProxy && req.headers['x-forwarded-for'])) {
    return sendHtml(res, 403, messagePage('Local mailbox', 'The local mailbox is only shown to a browser on the machine the API runs on.'));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendHtml(res, 405, messagePage('Method not allowed', 'Use GET.'), { allow: 'GET, HEAD' });
  }
  const em = services.orm.em.fork() as Em;
  if (id === null) return sendHtml(res, 200, mailboxListPage(await listMailbox(em)));
  const mail = await findMail(em, id);
  if (!mail) return sendHtml(res, 404, messagePage('Not found', 'No such message in the local mailbox.'));
  return sendHtml(res, 200, mailboxMessagePage(mail));
}

/** `/unsubscribe/<token>` (GET: confirm page; POST: one-click) and `/demo/mail[/<id>]`. True when it answered. */
export function mailRoutes(services: Services) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const unsubscribe = /^\/unsubscribe\/([^/]+)$/.exec(pathname);
    if (unsubscribe) {
      await unsubscribeRoute(services, req, res, unsubscribe[1]!);
      return true;
    }
    if (pathname === '/demo/mail' || pathname === '/demo/mail/') {
      await mailboxRoute(services, req, res, null);
      return true;
    }
    const message = /^\/demo\/mail\/([^/]+)$/.exec(pathname);
    if (message) {
      await mailboxRoute(services, req, res, message[1]!);
      return true;
    }
    return false;
  };
}
