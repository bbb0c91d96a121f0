import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Services } from '../../context';
import type { Em } from '../../db/orm';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../db/seed/demo';
import { Member } from '../../modules/members/member.entity';
import { DEMO_SCRIPT } from './client';
import { DEMO_CSS, demoHtml } from './page';

/**
 * The page may load only its own script and styles and talk only to this origin (HTTP and WebSocket alike:
 * CSP 3 `'self'` covers ws:/wss: to the same host).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  type: string;
  body: () => Buffer;
  cache: string;
}

/** Builds a body on first use and keeps it. */
const once = (make: () => string | Buffer) => {
  let value: Buffer | null = null;
  return () => {
    if (!value) {
      const made = make();
      value = typeof made === 'string' ? Buffer.from(made, 'utf8') : made;
    }
    return value;
  };
};

/** The stock graphql-ws browser build (UMD, global `graphqlWs`), read from the installed package. */
const graphqlWsBrowserClient = once(() =>
  readFileSync(path.join(path.dirname(require.resolve('graphql-ws/package.json')), 'umd', 'graphql-ws.min.js')),
);

/** The page with the demo login filled in (the demo data is there), and with an empty form (it is not). */
const prefilledPage = once(() => demoHtml({ email: DEMO_EMAIL, password: DEMO_PASSWORD }));
const emptyPage = once(() => demoHtml({ email: '', password: '' }));

const page: Asset = { type: 'text/html; charset=utf-8', body: emptyPage, cache: 'no-cache' };

const ASSETS: Record<string, Asset> = {
  '/demo': page,
  '/demo/': page,
  '/demo/app.js': { type: 'text/javascript; charset=utf-8', body: once(() => DEMO_SCRIPT), cache: 'no-cache' },
  '/demo/style.css': { type: 'text/css; charset=utf-8', body: once(() => DEMO_CSS), cache: 'no-cache' },
  '/demo/graphql-ws.js': { type: 'text/javascript; charset=utf-8', body: graphqlWsBrowserClient, cache: 'public, max-age=3600' },
};

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/**
 * Whether the demo member exists (demo data was seeded): only then does the page offer the demo login. Once seen
 * it is remembered; until then each page load asks again (one indexed lookup), so data seeded later shows up.
 */
function demoMemberCheck(services: Services): () => Promise<boolean> {
  let exists = false;
  return async () => {
    exists ||= (await (services.orm.em.fork() as Em).count(Member, { emailKey: DEMO_EMAIL.toLowerCase() })) > 0;
    return exists;
  };
}

/**
 * `GET /demo`: one plain page (no framework, no build step) that signs in, opens a thread and follows it live:
 * replies as they arrive, who is here, who is typing and its poll's counts; and a meeting opened by its link
 * (`#c=<slug>&m=<meeting ID>`). The handler returns true when it answered the request.
 */
export function demoRoutes(services: Services): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const demoMemberExists = demoMemberCheck(services);
  return (req, res) => serveDemo(req, res, demoMemberExists);
}

async function serveDemo(req: IncomingMessage, res: ServerResponse, demoMemberExists: () => Promise<boolean>): Promise<boolean> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname !== '/demo' && !pathname.startsWith('/demo/')) return false;

  const asset = ASSETS[pathname];
  if (!asset) {
    sendText(res, 404, 'Not found');
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    return true;
  }
  const body = asset === page && (await demoMemberExists()) ? prefilledPage() : asset.body();
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': String(body.length),
    'cache-control': asset.cache,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(asset === page ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
