import type { Em } from '../../../db/orm';
import { openAtSql } from '../../../shared/closing';
import { FETCHED_PER_KIND, windowKey, windowsParam, type DigestWindow, type Listed, type LoggerContext } from './digestWindow';

/** A time poll opened in the window and still taking answers at its end. */
export interface DigestTimePoll {
  id: string;
  title: string;
  createdAt: Date;
  closesAt: Date;
  options: number;
  createdById: string | null;
  createdByName: string | null;
}

/** A survey opened in the window and still taking responses at its end (`closesAt` null: until someone closes it). */
export interface DigestSurvey {
  id: string;
  title: string;
  createdAt: Date;
  closesAt: Date | null;
  questions: number;
  createdById: string | null;
  createdByName: string | null;
}

export interface OpenPolls {
  timePolls: Listed<DigestTimePoll>;
  surveys: Listed<DigestSurvey>;
}

type Row = {
  kind: 'time_poll' | 'survey';
  community_id: string;
  since: string | Date;
  id: string;
  title: string;
  created_at: string | Date;
  closes_at: string | Date | null;
  n: number | string;
  created_by_id: string | null;
  created_by_name: string | null;
  total: number | string;
};

/**
 * The time polls and surveys opened in each window (created after `since`, up to `until`) that are still open at
 * `until`, newest first, in one statement for every window: a poll opened once is news once (the next digest's
 * window starts after it), and one closed before the digest goes out asks nothing of its reader any more.
 */
export async function loadOpenPolls(em: Em, windows: DigestWindow[], until: Date, loggerContext?: LoggerContext): Promise<Map<string, OpenPolls>> {
  const result = new Map<string, OpenPolls>();
  if (!windows.length) return result;
  const rows = await em.execute<Row[]>(
    `with w as (select * from jsonb_to_recordset(?::jsonb) as w(community_id uuid, since timestamptz)), u as (select ?::timestamptz as until)
     select 'time_poll' as kind, w.community_id, w.since, p.id, p.title, p.created_at, p.closes_at,
            (select count(*) from time_poll_option o where o.poll_id = p.id) as n, p.created_by_id, a.display_name as created_by_name, p.total
       from w cross join u
       join lateral (select p.*, count(*) over () as total from time_poll p
                      where p.community_id = w.community_id and p.created_at > w.since and p.created_at <= u.until
                        and ${openAtSql('p.closed_at is not null', 'p.closes_at', 'u.until')}
                      order by p.created_at desc, p.id desc limit ${FETCHED_PER_KIND}) p on true
       left join member a on a.id = p.created_by_id
     union all
     select 'survey', w.community_id, w.since, s.id, s.title, s.created_at, s.closes_at,
            (select count(*) from survey_question q where q.survey_id = s.id), s.created_by_id, a.display_name, s.total
       from w cross join u
       join lateral (select s.*, count(*) over () as total from survey s
                      where s.community_id = w.community_id and s.created_at > w.since and s.created_at <= u.until
                        and ${openAtSql('s.closed_at is not null', 's.closes_at', 'u.until')}
                      order by s.created_at desc, s.id desc limit ${FETCHED_PER_KIND}) s on true
       left join member a on a.id = s.created_by_id`,
    [windowsParam(windows), until.toISOString()],
    'all',
    loggerContext,
  );
  for (const row of rows) {
    const key = windowKey(row.community_id, new Date(row.since));
    let items = result.get(key);
    if (!items) {
      items = { timePolls: { rows: [], total: 0 }, surveys: { rows: [], total: 0 } };
      result.set(key, items);
    }
    const base = { id: row.id, title: row.title, createdAt: new Date(row.created_at), createdById: row.created_by_id, createdByName: row.created_by_name };
    if (row.kind === 'time_poll') {
      items.timePolls.total = Number(row.total);
      items.timePolls.rows.push({ ...base, closesAt: new Date(row.closes_at!), options: Number(row.n) });
    } else {
      items.surveys.total = Number(row.total);
      items.surveys.rows.push({ ...base, closesAt: row.closes_at ? new Date(row.closes_at) : null, questions: Number(row.n) });
    }
  }
  return result;
}
