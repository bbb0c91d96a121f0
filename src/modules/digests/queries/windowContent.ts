import type { Em } from '../../../db/orm';
import { FETCHED_PER_KIND, windowKey, windowsParam, type DigestWindow, type LoggerContext } from './digestWindow';

export interface DigestThread {
  id: string;
  title: string;
  createdAt: Date;
  authorId: string;
  authorName: string;
  replyCount: number;
}

export interface DigestActiveThread {
  id: string;
  title: string;
  newReplies: number;
}

export interface DigestResource {
  id: string;
  title: string;
  url: string;
  createdAt: Date;
  sharedById: string;
  sharedByName: string;
}

/** A meeting ahead that was scheduled (or changed: `changed`) since the member's previous digest. */
export interface DigestMeeting {
  id: string;
  title: string;
  startsAt: Date;
  venue: string | null;
  url: string | null;
  changed: boolean;
  createdById: string | null;
}

/** A meeting's summary posted since the previous digest, in its ANNOUNCEMENT thread. */
export interface DigestSummary {
  meetingId: string;
  title: string;
  threadId: string | null;
  postedAt: Date;
  postedById: string | null;
  postedByName: string | null;
}

export interface WindowItems {
  threads: { rows: (DigestThread & { authorId: string })[]; total: number };
  active: { rows: (DigestActiveThread & { authors: string[] })[]; total: number };
  resources: { rows: DigestResource[]; total: number };
  meetings: { rows: DigestMeeting[]; total: number };
  summaries: { rows: DigestSummary[]; total: number };
}

type ItemRow = {
  kind: 'thread' | 'active' | 'resource' | 'meeting' | 'summary';
  community_id: string;
  since: string | Date;
  id: string;
  title: string;
  url: string | null;
  at: string | Date;
  author_id: string | null;
  author_name: string | null;
  n: number | string;
  authors: string[] | null;
  total: number | string;
  /** meeting: [venue, created in the window ('t'/'f')]; summary: [thread id]. */
  extra: (string | null)[] | null;
};

/**
 * Everything new in every window (community, since) up to `until`, in one statement for all of them: new threads
 * with their reply counts (not meeting summaries: they have their own list), older threads with new replies, new
 * resources, meetings ahead (SCHEDULED, starting after `until`) scheduled or changed in the window (`updated_at`:
 * an unchanged meeting is never sent twice; a moved one is news again), and meeting summaries posted in the window.
 * Windows are shared by the members whose
 * previous digest ended at the same moment (usually all of them), so the work grows with communities, not members.
 */
export async function loadWindows(em: Em, windows: DigestWindow[], until: Date, loggerContext?: LoggerContext): Promise<Map<string, WindowItems>> {
  const result = new Map<string, WindowItems>();
  if (!windows.length) return result;
  const rows = await em.execute<ItemRow[]>(
    `with w as (select * from jsonb_to_recordset(?::jsonb) as w(community_id uuid, since timestamptz)), u as (select ?::timestamptz as until)
     select 'thread' as kind, w.community_id, w.since, t.id, t.title, null as url, t.created_at as at, t.author_id,
            a.display_name as author_name, t.reply_count as n, null::uuid[] as authors, t.total, null::text[] as extra
       from w cross join u
       join lateral (select t.*, count(*) over () as total from thread t
                      where t.community_id = w.community_id and t.created_at > w.since and t.created_at <= u.until
                        and not exists (select 1 from meeting sm where sm.summary_thread_id = t.id)
                      order by t.created_at desc, t.id desc limit ${FETCHED_PER_KIND}) t on true
       join member a on a.id = t.author_id
     union all
     select 'active', w.community_id, w.since, x.id, x.title, null, x.at, null, null, x.n, x.authors, x.total, null
       from w cross join u
       join lateral (select t.id, t.title, max(p.created_at) as at, count(*) as n, array_agg(distinct p.author_id) as authors,
                            count(*) over () as total
                       from post p join thread t on t.id = p.thread_id
                      where p.community_id = w.community_id and p.deleted_at is null
                        and p.created_at > w.since and p.created_at <= u.until and t.created_at <= w.since
                      group by t.id, t.title order by count(*) desc, max(p.created_at) desc limit ${FETCHED_PER_KIND}) x on true
     union all
     select 'resource', w.community_id, w.since, r.id, r.title, r.url, r.created_at, r.shared_by_id, s.display_name, 0, null, r.total, null
       from w cross join u
       join lateral (select r.*, count(*) over () as total from resource r
                      where r.community_id = w.community_id and r.removed_at is null and r.created_at > w.since and r.created_at <= u.until
                      order by r.created_at desc, r.id desc limit ${FETCHED_PER_KIND}) r on true
       join member s on s.id = r.shared_by_id
     union all
     select 'meeting', w.community_id, w.since, mt.id, mt.title, mt.url, mt.starts_at, mt.created_by_id, null, 0, null, mt.total,
            array[mt.venue, case when mt.created_at > w.since then 't' else 'f' end]
       from w cross join u
       join lateral (select mt.*, count(*) over () as total from meeting mt
                      where mt.community_id = w.community_id and mt.status = 'SCHEDULED' and mt.starts_at > u.until
                        and mt.updated_at > w.since and mt.updated_at <= u.until
                      order by mt.starts_at, mt.id limit ${FETCHED_PER_KIND}) mt on true
     union all
     select 'summary', w.community_id, w.since, mt.id, mt.title, null, mt.summary_posted_at, st.author_id, sa.display_name, 0, null, mt.total,
            array[mt.summary_thread_id::text]
       from w cross join u
       join lateral (select mt.*, count(*) over () as total from meeting mt
                      where mt.community_id = w.community_id and mt.summary_posted_at > w.since and mt.summary_posted_at <= u.until
                      order by mt.summary_posted_at desc, mt.id desc limit ${FETCHED_PER_KIND}) mt on true
       left join thread st on st.id = mt.summary_thread_id
       left join member sa on sa.id = st.author_id`,
    [windowsParam(windows), until.toISOString()],
    'all',
    loggerContext,
  );
  for (const row of rows) {
    const key = windowKey(row.community_id, new Date(row.since));
    let items = result.get(key);
    if (!items) {
      items = {
        threads: { rows: [], total: 0 },
        active: { rows: [], total: 0 },
        resources: { rows: [], total: 0 },
        meetings: { rows: [], total: 0 },
        summaries: { rows: [], total: 0 },
      };
      result.set(key, items);
    }
    const total = Number(row.total);
    if (row.kind === 'thread') {
      items.threads.total = total;
      items.threads.rows.push({ id: row.id, title: row.title, createdAt: new Date(row.at), authorId: row.author_id!, authorName: row.author_name!, replyCount: Number(row.n) });
    } else if (row.kind === 'active') {
      items.active.total = total;
      items.active.rows.push({ id: row.id, title: row.title, newReplies: Number(row.n), authors: row.authors ?? [] });
    } else if (row.kind === 'meeting') {
      items.meetings.total = total;
      const [venue, created] = row.extra ?? [null, 't'];
      items.meetings.rows.push({ id: row.id, title: row.title, startsAt: new Date(row.at), venue: venue ?? null, url: row.url, changed: created !== 't', createdById: row.author_id });
    } else if (row.kind === 'summary') {
      items.summaries.total = total;
      items.summaries.rows.push({
        meetingId: row.id,
        title: row.title,
        threadId: row.extra?.[0] ?? null,
        postedAt: new Date(row.at),
        postedById: row.author_id,
        postedByName: row.author_name,
      });
    } else {
      items.resources.total = total;
      items.resources.rows.push({ id: row.id, title: row.title, url: row.url!, createdAt: new Date(row.at), sharedById: row.author_id!, sharedByName: row.author_name! });
    }
  }
  return result;
}
