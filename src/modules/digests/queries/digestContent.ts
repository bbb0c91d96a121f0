import type { Em } from '../../../db/orm';
import { scopeFor, type Services } from '../../../context';
import { LoaderRegistry } from '../../../shared/loaders';
import { can } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { Member } from '../../members/member.entity';
import { DigestFrequency } from '../digest.types';
import { DIGEST_PREFERENCE, FIRST_DIGEST_REACH_MS } from '../period';
import '../../communities/community.policy';

/** At most this many items of each kind per community in one digest (the rest is counted: "and 12 more"). */
export const ITEMS_PER_KIND = 20;
/** Fetched per kind, so that leaving out the member's own items still leaves ITEMS_PER_KIND to show. */
const FETCHED_PER_KIND = ITEMS_PER_KIND + 5;

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

export interface DigestCommunity {
  id: string;
  name: string;
  slug: string;
  upcomingMeetings: DigestMeeting[];
  moreMeetings: number;
  meetingSummaries: DigestSummary[];
  moreSummaries: number;
  newThreads: DigestThread[];
  moreThreads: number;
  activeThreads: DigestActiveThread[];
  moreActiveThreads: number;
  newResources: DigestResource[];
  moreResources: number;
}

export interface MemberDigest {
  member: { id: string; email: string; displayName: string; timeZone: string | null };
  frequency: DigestFrequency;
  since: Date;
  until: Date;
  /** Only communities with something new, by name. Empty: nothing to send. */
  communities: DigestCommunity[];
}

interface WindowItems {
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

/** The statements' log label (`BACKGROUND` when a job reads). */
type LoggerContext = { label: string };

const windowKey = (communityId: string, since: Date) => `${communityId}|${since.toISOString()}`;

/**
 * Everything new in every window (community, since) up to `until`, in one statement for all of them: new threads
 * with their reply counts (not meeting summaries: they have their own list), older threads with new replies, new
 * resources, meetings ahead (SCHEDULED, starting after `until`) scheduled or changed in the window (`updated_at`:
 * an unchanged meeting is never sent twice; a moved one is news again), and meeting summaries posted in the window.
 * Windows are shared by the members whose
 * previous digest ended at the same moment (usually all of them), so the work grows with communities, not members.
 */
async function loadWindows(em: Em, windows: { communityId: string; since: Date }[], until: Date, loggerContext?: LoggerContext): Promise<Map<string, WindowItems>> {
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
    [JSON.stringify(windows.map((w) => ({ community_id: w.communityId, since: w.since.toISOString() }))), until.toISOString()],
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

/** Keeps what others did (a member's digest does not tell them about their own posts) and counts what it drops. */
function othersOnly<T>(list: { rows: T[]; total: number }, isOwn: (item: T) => boolean): { shown: T[]; more: number } {
  const others = list.rows.filter((item) => !isOwn(item));
  const own = list.rows.length - others.length;
  const shown = others.slice(0, ITEMS_PER_KIND);
  return { shown, more: Math.max(0, list.total - own - shown.length) };
}

/**
 * The digests of `memberIds` for `frequency` up to `until`, read set-based: members, their ACTIVE memberships
 * with that digest preference, each member's previous digest, then one statement for every community window.
 * What a member may read is decided by the policies (`readContent` on each community, through an actor built
 * with scopeFor; the loaders batch every member's membership and community lookups into a few statements), so a
 * RESTRICTED community they left or never joined never appears. Returns one entry per member, empty when nothing
 * is new for them.
 */
export async function loadDigests(
  services: Services,
  em: Em,
  options: { frequency: DigestFrequency; memberIds: string[]; until: Date; loggerContext?: LoggerContext },
): Promise<MemberDigest[]> {
  const { frequency, memberIds, until, loggerContext } = options;
  if (!memberIds.length) return [];
  const ids = `{${memberIds.join(',')}}`;
  const [memberRows, pairs, previous] = await Promise.all([
    em.execute<Record<string, unknown>[]>('select m.* from member m where m.id = any(?::uuid[])', [ids], 'all', loggerContext),
    em.execute<{ member_id: string; community_id: string }[]>(
      `select member_id, community_id from membership where member_id = any(?::uuid[]) and status = 'ACTIVE' and notification_preference = ?`,
      [ids, DIGEST_PREFERENCE[frequency]],
      'all',
      loggerContext,
    ),
    em.execute<{ member_id: string; covered_until: string | Date }[]>(
      `select member_id, max(covered_until) as covered_until from digest_delivery where member_id = any(?::uuid[]) and frequency = ? and mailed is not null group by member_id`,
      [ids, frequency],
      'all',
      loggerContext,
    ),
  ]);

  const shared = new LoaderRegistry(em, null);
  const members = new Map(memberRows.map((row) => [String(row.id), { entity: em.map(Member, row), timeZone: (row.time_zone as string | undefined) ?? null }]));
  const sinceOf = new Map(previous.map((row) => [row.member_id, new Date(row.covered_until)]));
  const firstSince = new Date(until.getTime() - FIRST_DIGEST_REACH_MS[frequency]);
  const scopes = new Map<string, ReturnType<typeof scopeFor>>();
  const scope = (memberId: string) => {
    let ctx = scopes.get(memberId);
    if (!ctx) {
      ctx = scopeFor(services, members.get(memberId)!.entity, em, { loaders: new LoaderRegistry(em, memberId, shared) });
      scopes.set(memberId, ctx);
    }
    return ctx;
  };

  // The policy decides, per member and community, whether its content may go into that member's mail now.
  const checked = await Promise.all(
    pairs
      .filter((pair) => members.has(pair.member_id))
      .map(async (pair) => {
        const ctx = scope(pair.member_id);
        const community = await ctx.actor.community(pair.community_id).catch(() => null);
        const readable = !!community && (await can(ctx.actor, 'readContent', community));
        return readable ? { memberId: pair.member_id, community: community! } : null;
      }),
  );
  const readable = checked.filter((entry): entry is { memberId: string; community: Community } => entry !== null);

  const windows = new Map<string, { communityId: string; since: Date }>();
  for (const { memberId, community } of readable) {
    const since = sinceOf.get(memberId) ?? firstSince;
    windows.set(windowKey(community.id, since), { communityId: community.id, since });
  }
  const items = await loadWindows(em, [...windows.values()].filter((w) => w.since < until), until, loggerContext);

  const byMember = new Map<string, DigestCommunity[]>();
  for (const { memberId, community } of readable) {
    const window = items.get(windowKey(community.id, sinceOf.get(memberId) ?? firstSince));
    if (!window) continue;
    const threads = othersOnly(window.threads, (thread) => thread.authorId === memberId);
    const active = othersOnly(window.active, (thread) => thread.authors.every((author) => author === memberId));
    const resources = othersOnly(window.resources, (resource) => resource.sharedById === memberId);
    const meetings = othersOnly(window.meetings, (meeting) => meeting.createdById === memberId);
    const summaries = othersOnly(window.summaries, (summary) => summary.postedById === memberId);
    if (!threads.shown.length && !active.shown.length && !resources.shown.length && !meetings.shown.length && !summaries.shown.length) continue;
    const list = byMember.get(memberId) ?? [];
    list.push({
      id: community.id,
      name: community.name,
      slug: community.slug,
      newThreads: threads.shown,
      moreThreads: threads.more,
      activeThreads: active.shown.map(({ id, title, newReplies }) => ({ id, title, newReplies })),
      moreActiveThreads: active.more,
      newResources: resources.shown,
      moreResources: resources.more,
      upcomingMeetings: meetings.shown,
      moreMeetings: meetings.more,
      meetingSummaries: summaries.shown,
      moreSummaries: summaries.more,
    });
    byMember.set(memberId, list);
  }

  return memberIds
    .filter((id) => members.has(id))
    .map((id) => {
      const { entity, timeZone } = members.get(id)!;
      return {
        member: { id, email: entity.email, displayName: entity.displayName, timeZone },
        frequency,
        since: sinceOf.get(id) ?? firstSince,
        until,
        communities: (byMember.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
}
