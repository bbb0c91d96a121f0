import type { CommandScope } from '../../../context';
import type { Em } from '../../../db/orm';
import { recordEvent } from '../../../events/record';
import { can } from '../../../shared/policy';
import type { Community } from '../../communities/community.entity';
import { startThread } from '../../discussions/commands/startThread';
import { Thread, ThreadKind } from '../../discussions/thread.entity';
import { Member } from '../../members/member.entity';
import type { Resource } from '../../resources/resource.entity';
import type { Meeting } from '../meeting/meeting.entity';

const MAX_TITLE = 200;
export const SUMMARY_TAG = 'meeting-summary';

/** "Summary: Spring tools meetup", within a thread title's 200 characters. */
export function summaryTitle(meeting: Meeting): string {
  const title = `Summary: ${meeting.title}`;
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

/** The thread's body: the summary as written, then the resources shared, one per line with its link. */
export function summaryBody(summary: string, resources: Resource[]): string {
  const parts = [summary.trim()];
  if (resources.length) parts.push(['Resources shared:', ...resources.map((r) => `- ${r.title}: ${r.url}`)].join('\n'));
  return parts.join('\n\n');
}

/**
 * Posts the summary as an ANNOUNCEMENT thread inside the caller's transaction (`em`). An organiser who may announce
 * (a LEAD; staff and monitors who are members) posts it through startThread with their own scope, its rules
 * included. Meeting and event coordinators organise meetings without the announce right, and staff organise without
 * being members: for them the API posts the same announcement on their behalf (they are its author), because
 * organising the meeting is the right to announce its summary; nothing else of the announce right is lent.
 */
export async function postSummaryThread(scope: CommandScope, em: Em, community: Community, props: { title: string; body: string }): Promise<Thread> {
  const member = scope.actor.member!;
  const input = { communityId: community.id, title: props.title, body: props.body, kind: ThreadKind.ANNOUNCEMENT, tags: [SUMMARY_TAG] };
  if ((await can(scope.actor, 'write', community)) && (await can(scope.actor, 'announce', community))) {
    return startThread({ ...scope, em }, input);
  }
  const thread = new Thread();
  thread.community = community;
  thread.author = em.getReference(Member, member.id);
  thread.title = input.title;
  thread.body = input.body;
  thread.kind = ThreadKind.ANNOUNCEMENT;
  thread.tags = input.tags;
  thread.lastActivityAt = thread.createdAt;
  em.persist(thread);
  await recordEvent(em, member.id, { type: 'ThreadStarted', communityId: community.id, threadId: thread.id });
  return thread;
}
