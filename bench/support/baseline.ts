import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import type { TokenService } from '../../src/modules/members/tokens';

/** `base64url("<Type>:<uuid>")`, the API's global ID, in SQL (PostgreSQL's base64 wraps at 76 characters: drop the newlines). */
const globalId = (type: string, column: string) =>
  `rtrim(translate(encode(convert_to('${type}:' || ${column}::text, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/** A timestamp as JavaScript's `Date#toISOString()` writes it (UTC, milliseconds, `Z`). */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The thread cursor: base64url of the JSON array `[pinned, lastActivityAt, id]`, as the API's keyset pagination writes it. */
const threadCursor = (t: string) =>
  `rtrim(translate(encode(convert_to('[' || ${t}.pinned::text || ',"' || ${iso(`${t}.last_activity_at`)} || '","' || ${t}.id::text || '"]', 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

const authorJson = (authorColumn: string) =>
  `(select json_build_object('id', ${globalId('Member', 'a.id')}, 'displayName', a.display_name) from member a where a.id = ${authorColumn})`;

/**
 * The whole feed response in one statement: $1 slug, $2 first, $3 viewer id. Threads pinned first, then latest
 * activity (id breaks ties), `first + 1` rows read to know whether there is a next page; per thread its three newest
 * replies (created_at, id descending) with author and per-emoji reaction counts for the viewer, emojis in order of
 * first use. Returns the JSON text of `{ data }` and whether the viewer exists (the API refuses unknown members).
 */
export const FEED_SQL = `
with community_row as (
  select c.id, c.name from community c where c.slug = $1
),
page as (
  select t.id, t.title, t.kind, t.pinned, t.locked, t.reply_count, t.last_activity_at, t.tags, t.author_id
  from thread t join community_row c on t.community_id = c.id
  order by t.pinned desc, t.last_activity_at desc, t.id desc
  limit $2::int + 1
),
visible as (
  select p.*, ${threadCursor('p')} as cursor,
         row_number() over (order by p.pinned desc, p.last_activity_at desc, p.id desc) as position
  from page p
  order by p.pinned desc, p.last_activity_at desc, p.id desc
  limit $2::int
),
recent_posts as (
  select v.id as thread_id, p.id, p.created_at, p.body, p.deleted_at, p.author_id
  from visible v
  cross join lateral (
    select p.id, p.created_at, p.body, p.deleted_at, p.author_id from post p
    where p.thread_id = v.id
    order by p.created_at desc, p.id desc
    limit 3
  ) p
),
reaction_counts as (
  select r.post_id, r.emoji, count(*)::int as count, bool_or(r.member_id = $3::uuid) as viewer_reacted, min(r.created_at) as first_used
  from reaction r
  where r.post_id in (select id from recent_posts)
  group by r.post_id, r.emoji
)
select
  exists (select 1 from member where id = $3::uuid) as viewer_exists,
  json_build_object('data', json_build_object('community', (
    select json_build_object(
      'id', ${globalId('Community', 'c.id')},
      'name', c.name,
      'memberCount', (select count(*)::int from membership m where m.community_id = c.id and m.status = 'ACTIVE'),
      'threads', json_build_object(
        'totalCount', (select count(*)::int from thread t where t.community_id = c.id),
        'pageInfo', json_build_object(
          'hasNextPage', (select count(*) > $2::int from page),
          'endCursor', (select v.cursor from visible v order by v.position desc limit 1)
        ),
        'edges', coalesce((
          select json_agg(json_build_object(
            'cursor', v.cursor,
            'node', json_build_object(
              'id', ${globalId('Thread', 'v.id')},
              'title', v.title,
              'kind', v.kind,
              'pinned', v.pinned,
              'locked', v.locked,
              'replyCount', v.reply_count,
              'lastActivityAt', ${iso('v.last_activity_at')},
              'tags', to_json(v.tags),
              'author', ${authorJson('v.author_id')},
              'posts', json_build_object('edges', coalesce((
                select json_agg(json_build_object('node', json_build_object(
                  'id', ${globalId('Post', 'p.id')},
                  'body', case when p.deleted_at is null then p.body end,
                  'createdAt', ${iso('p.created_at')},
                  'author', ${authorJson('p.author_id')},
                  'reactions', coalesce((
                    select json_agg(json_build_object('emoji', r.emoji, 'count', r.count, 'viewerReacted', r.viewer_reacted)
                                    order by r.first_used, r.emoji)
                    from reaction_counts r where r.post_id = p.id
                  ), '[]'::json)
                )) order by p.created_at desc, p.id desc)
                from recent_posts p where p.thread_id = v.id
              ), '[]'::json))
            )
          ) order by v.position)
          from visible v
        ), '[]'::json)
      )
    )
    from community_row c
  )))::text as body`;

export interface Baseline {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 100_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseVariables(raw: string): { slug: string; first: number } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  const variables = (body as { variables?: { slug?: unknown; first?: unknown } } | null)?.variables;
  const slug = variables?.slug;
  const first = variables?.first;
  if (typeof slug !== 'string' || typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > 100) {
    throw new HttpError(400, 'variables must be { slug: string, first: 1..100 }');
  }
  return { slug, first };
}

/**
 * The hand-written comparison point: plain `node:http` and a `pg` pool of the same size as the ORM's. Per request it
 * does what the API must also do — read and parse the body, verify the bearer token — then runs FEED_SQL and writes
 * PostgreSQL's JSON text as is.
 */
export async function startBaseline(databaseUrl: string, tokens: TokenService, poolSize = 10): Promise<Baseline> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  pool.on('error', (error) => console.error('[baseline] idle client error', error));
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      if (req.method !== 'POST' || req.url !== '/feed') throw new HttpError(404, 'Not found');
      const { slug, first } = parseVariables(await readBody(req));
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!match) throw new HttpError(401, 'A bearer token is required');
      const { memberId } = await tokens.verify(match[1]!).catch(() => {
        throw new HttpError(401, 'Invalid token');
      });
      const { rows } = await pool.query<{ viewer_exists: boolean; body: string }>(FEED_SQL, [slug, first, memberId]);
      if (!rows[0]!.viewer_exists) throw new HttpError(401, 'Invalid token');
      send(200, rows[0]!.body);
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, JSON.stringify({ errors: [{ message: error.message }] }));
      console.error('[baseline] unexpected error', error);
      if (!res.headersSent) send(500, JSON.stringify({ errors: [{ message: 'Internal server error' }] }));
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/feed`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await pool.end();
      })();
      return closing;
    },
  };
}
