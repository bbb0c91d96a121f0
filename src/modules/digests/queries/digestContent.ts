import type { Em } from '../../../db/orm';
import { scopeFor, type Services } from '../../../context';
import { LoaderRegistry } from '../../../shared/loaders';
import { can } from '../../../shared/policy';
import { Community } from '../../communities/community.entity';
import { Member } from '../../members/member.entity';
import { DigestFrequency } from '../digest.types';
import { DIGEST_PREFERENCE, FIRST_DIGEST_REACH_MS } from '../period';
import { othersOnly, windowKey, type LoggerContext } from './digestWindow';
import { loadWindows, type DigestActiveThread, type DigestMeeting, type DigestResource, type DigestSummary, type DigestThread } from './windowContent';
import { loadOpenPolls, type DigestSurvey, type DigestTimePoll } from './openPolls';
import '../../communities/community.policy';

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
  /** Time polls and surveys opened since the previous digest and still open. */
  openTimePolls: DigestTimePoll[];
  moreTimePolls: number;
  openSurveys: DigestSurvey[];
  moreSurveys: number;
}

export interface MemberDigest {
  member: { id: string; email: string; displayName: string; timeZone: string | null };
  frequency: DigestFrequency;
  since: Date;
  until: Date;
  /** Only communities with something new, by name. Empty: nothing to send. */
  communities: DigestCommunity[];
}

/**
 * The digests of `memberIds` for `frequency` up to `until`, read set-based: members, their ACTIVE memberships
 * with that digest preference, each member's previous digest, then one statement for every community window's
 * content and one for its open time polls and surveys (openPolls.ts).
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
  const open = [...windows.values()].filter((w) => w.since < until);
  const [items, polls] = await Promise.all([loadWindows(em, open, until, loggerContext), loadOpenPolls(em, open, until, loggerContext)]);

  const byMember = new Map<string, DigestCommunity[]>();
  const none = { rows: [], total: 0 };
  for (const { memberId, community } of readable) {
    const key = windowKey(community.id, sinceOf.get(memberId) ?? firstSince);
    const window = items.get(key);
    const opened = polls.get(key);
    if (!window && !opened) continue;
    const threads = othersOnly(window?.threads ?? none, (thread) => thread.authorId === memberId);
    const active = othersOnly(window?.active ?? none, (thread) => thread.authors.every((author) => author === memberId));
    const resources = othersOnly(window?.resources ?? none, (resource) => resource.sharedById === memberId);
    const meetings = othersOnly(window?.meetings ?? none, (meeting) => meeting.createdById === memberId);
    const summaries = othersOnly(window?.summaries ?? none, (summary) => summary.postedById === memberId);
    const timePolls = othersOnly<DigestTimePoll>(opened?.timePolls ?? none, (poll) => poll.createdById === memberId);
    const surveys = othersOnly<DigestSurvey>(opened?.surveys ?? none, (survey) => survey.createdById === memberId);
    const lists = [threads, active, resources, meetings, summaries, timePolls, surveys];
    if (lists.every((list) => !list.shown.length)) continue;
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
      openTimePolls: timePolls.shown,
      moreTimePolls: timePolls.more,
      openSurveys: surveys.shown,
      moreSurveys: surveys.more,
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
