import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * GraphiQL for development, served entirely from this server: the prebuilt bundle of @graphql-yoga/graphiql
 * (GraphiQL 5 with React and the Monaco editor inside one UMD script, its stylesheet and Monaco's web workers), no
 * CDN. `GET /graphql` from a browser (accept: text/html, no `query`) answers the page; its assets live under
 * `/graphiql/`. Not mounted when NODE_ENV=production.
 */
const PREFIX = '/graphiql/';

let distDir: string | null = null;
function dist(): string {
  distDir ??= join(dirname(require.resolve('@graphql-yoga/graphiql/package.json')), 'dist');
  return distDir;
}

/** Our URL → the package's file (the workers by the label Monaco asks for). */
const ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.js': { file: 'yoga-graphiql.umd.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { file: 'graphiql.css', type: 'text/css; charset=utf-8' },
  'editor.worker.js': { file: 'monacoeditorwork/editor.worker.bundle.js', type: 'text/javascript; charset=utf-8' },
  'graphql.worker.js': { file: 'monacoeditorwork/graphql.worker..bundle.js', type: 'text/javascript; charset=utf-8' },
  'json.worker.js': { file: 'monacoeditorwork/json.worker.bundle.js', type: 'text/javascript; charset=utf-8' },
};

/** Starts GraphiQL on the page: Monaco's workers come from our routes; subscriptions go over graphql-ws. */
const START_SCRIPT = `
self.MonacoEnvironment = {
  getWorker: function (_id, label) {
    var name = label === 'graphql' ? 'graphql' : label === 'json' ? 'json' : 'editor';
    return new Worker('${PREFIX}' + name + '.worker.js', { name: label });
  },
};
YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
  endpoint: location.origin + '/graphql',
  subscriptionsProtocol: 'WS',
  title: 'PracticeHub',
  query: '# Sign in with logIn, then add the header {"Authorization": "Bearer <token>"}.\\n{\\n  communities(first: 5) {\\n    totalCount\\n    edges { node { name } }\\n  }\\n}\\n',
});
`;

const ASSET_TYPES: Record<string, string> = { 'start.js': 'text/javascript; charset=utf-8' };

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PracticeHub GraphiQL</title>
<link rel="stylesheet" href="${PREFIX}graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql"></div>
<script src="${PREFIX}graphiql.js"></script>
<script src="${PREFIX}start.js"></script>
</body>
</html>
`;

/** Same-origin only; Monaco adds inline styles and GraphiQL's schema docs may show data: images. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A browser navigating to the endpoint wants the page: it accepts text/html and no JSON. A GraphQL client's GET
 * accepts application/json or application/graphql-response+json and gets its answer. GraphiQL keeps the query in
 * the address (`?query=`), so a reload with a query still gets the page.
 */
function wantsPage(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const accept = (req.headers.accept ?? '').toLowerCase();
  return /\btext\/html\b/.test(accept) && !/application\/(graphql-response\+)?json/.test(accept);
}

/** Handles the explorer's routes; false for anything else. */
export async function explorerRoutes(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/graphql' && wantsPage(req)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' });
    res.end(PAGE);
    return true;
  }
  if (!url.pathname.startsWith(PREFIX) || req.method !== 'GET') return false;
  const name = url.pathname.slice(PREFIX.length);
  if (name === 'start.js') {
    res.writeHead(200, { 'content-type': ASSET_TYPES[name]!, 'cache-control': 'no-cache' });
    res.end(START_SCRIPT);
    return true;
  }
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name]! : null;
  if (!asset) return false;
  const path = join(dist(), asset.file);
  const { size } = await stat(path);
  res.writeHead(200, { 'content-type': asset.type, 'content-length': size, 'cache-control': 'public, max-age=3600' });
  await new Promise<void>((resolve, reject) => createReadStream(path).on('error', reject).on('end', resolve).pipe(res));
  return true;
}
