/**
 * Demo answers, attendance and a summary (inside the seed's transaction, after memberships and resources), in Digital
 * Tools, where the demo account is LEAD: a meetup ahead with capacity 6, full, three members on its waitlist and two
 * interested (the demo account is GOING: answering NOT_GOING promotes the first waitlisted member); and a meetup
 * twelve days ago, HELD with eight attendees, whose summary (with two of the community's resources) was posted as an
 * ANNOUNCEMENT thread by its meeting coordinator. Rows are written as the commands write them (waitlist order in
 * `answered_at`, attendance in its own table, Meeting.summaryThread), without events: nothing to notify in a demo.
 */
import type { Em } from '../../../db/orm';
import { Community } from '../../communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../communities/membership.entity';
import { Thread, ThreadKind } from '../../discussions/thread.entity';
import { Resource } from '../../resources/resource.entity';
import { Meeting, MeetingKind, MeetingStatus } from '../meeting/meeting.entity';
import { MeetingRsvp, RsvpStatus } from '../meeting/meetingRsvp.entity';
import { MeetingAttendance } from '../attendance/meetingAttendance.entity';
import { SUMMARY_TAG, summaryBody, summaryTitle } from '../summary/summaryThread';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SLUG = 'digital-tools';
export const DEMO_MEETUP_TITLE = 'Hands-on: teaching AI literacy in the library';
export const DEMO_PAST_MEETUP_TITLE = 'Chromebook help desks: show and tell';

function meeting(community: Community, createdBy: Membership, spec: Pick<Meeting, 'title' | 'description' | 'venue' | 'url' | 'capacity'> & { startsAt: Date; createdAt: Date }): Meeting {
  const entity = new Meeting();
  Object.assign(entity, { ...spec, community, createdBy: createdBy.member, kind: MeetingKind.MEETUP, status: MeetingStatus.SCHEDULED, timeZone: 'America/Chicago' });
  entity.endsAt = new Date(spec.startsAt.getTime() + 90 * 60_000);
  entity.sortAt = spec.startsAt;
  entity.updatedAt = spec.createdAt;
  return entity;
}

export async function seedMeetingAnswers(em: Em, now: number): Promise<void> {
  await em.flush();
  const community = await em.findOneOrFail(Community, { slug: SLUG });
  const memberships = await em.find(Membership, { community, status: MembershipStatus.ACTIVE }, { populate: ['member'], orderBy: { member: { email: 'asc' } } });
  const lead = memberships.find((m) => m.roles.includes(CommunityRole.LEAD));
  const coordinator = memberships.find((m) => m.roles.includes(CommunityRole.MEETING_COORDINATOR)) ?? lead;
  if (!lead || !coordinator) throw new Error(`demo seed: ${SLUG} has no LEAD or meeting coordinator for its meetings`);
  const others = memberships.filter((m) => m !== lead && m !== coordinator);
  if (others.length < 10) throw new Error(`demo seed: ${SLUG} has too few members for its meetups`);

  const ahead = meeting(community, coordinator, {
    title: DEMO_MEETUP_TITLE,
    description: 'Bring a lesson plan you use (or want to try). We will swap activities in small groups.\nLaptops welcome.',
    venue: 'Northfield High School library, room 104',
    url: 'https://meet.example.org/practicehub-ai-literacy',
    capacity: 6,
    startsAt: new Date(now + 10 * DAY + 17 * HOUR),
    createdAt: new Date(now - 5 * DAY),
  });
  em.persist(ahead);
  // Six places taken (the demo account among them), three waiting in the order they answered, two interested.
  const answers: [Membership, RsvpStatus][] = [
    [lead, RsvpStatus.GOING],
    ...others.slice(0, 5).map((m): [Membership, RsvpStatus] => [m, RsvpStatus.GOING]),
    ...others.slice(5, 8).map((m): [Membership, RsvpStatus] => [m, RsvpStatus.WAITLISTED]),
    ...others.slice(8, 10).map((m): [Membership, RsvpStatus] => [m, RsvpStatus.INTERESTED]),
  ];
  answers.forEach(([membership, status], i) => {
    em.persist(Object.assign(new MeetingRsvp(), { meeting: ahead, member: membership.member, status, answeredAt: new Date(now - 4 * DAY + i * HOUR) }));
  });

  const past = meeting(community, coordinator, {
    title: DEMO_PAST_MEETUP_TITLE,
    description: 'Five libraries show how they run a student help desk for Chromebooks.',
    venue: null,
    url: 'https://meet.example.org/practicehub-help-desks',
    capacity: null,
    startsAt: new Date(now - 12 * DAY + 16 * HOUR),
    createdAt: new Date(now - 30 * DAY),
  });
  past.status = MeetingStatus.HELD;
  em.persist(past);
  const attendees = [lead, coordinator, ...others.slice(0, 6)];
  for (const membership of [...attendees, ...others.slice(6, 8)]) {
    em.persist(Object.assign(new MeetingRsvp(), { meeting: past, member: membership.member, status: RsvpStatus.GOING, answeredAt: new Date(now - 20 * DAY) }));
  }
  for (const membership of attendees) {
    em.persist(Object.assign(new MeetingAttendance(), { meeting: past, member: membership.member, createdAt: new Date(now - 11 * DAY) }));
  }
  const resources = await em.find(Resource, { community, removedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 2 });
  const summary =
    'Five libraries showed their help desks. Common threads: a sign-in sheet that doubles as a repair log, students ' +
    'trained in two short sessions, and a shelf of loaner devices.\nNext: a shared repair-log template (volunteers welcome).';
  const postedAt = new Date(now - 11 * DAY);
  const thread = new Thread();
  Object.assign(thread, {
    community,
    author: coordinator.member,
    title: summaryTitle(past),
    body: summaryBody(summary, resources),
    kind: ThreadKind.ANNOUNCEMENT,
    tags: [SUMMARY_TAG],
    createdAt: postedAt,
    lastActivityAt: postedAt,
  });
  em.persist(thread);
  Object.assign(past, { summary, summaryThread: thread, summaryPostedAt: postedAt });
  await em.flush();
}
