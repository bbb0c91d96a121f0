import { DateTime } from 'luxon';

/** How many of a poll's times a notification lists before "and N more". */
const LISTED = 3;

export interface OpenedPoll {
  actor: string;
  community: string;
  title: string;
  /** Option starts, earliest first. */
  startsAt: Date[];
  closesAt: Date;
}

const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat('ccc d LLL HH:mm');

/** Whether Luxon knows the zone (a member's stored zone could be one this runtime lacks). */
export const knownZone = (zone: string) => DateTime.now().setZone(zone).isValid;

/**
 * The TIME_POLL_OPENED title (and so the email's subject and heading) for a reader in `zone`: the API speaks UTC, a
 * member reads their own wall-clock times ("Tue 10 Mar 16:00"), and the zone they are in, once.
 */
export function pollOpenedTitle(poll: OpenedPoll, zone: string): string {
  const listed = poll.startsAt.slice(0, LISTED).map((at) => local(at, zone));
  const more = poll.startsAt.length > LISTED ? ` and ${poll.startsAt.length - LISTED} more` : '';
  return `${poll.actor} asks when to meet in ${poll.community}: “${poll.title}”: ${listed.join(', ')}${more}. Answer by ${local(poll.closesAt, zone)} (${zone} time)`;
}
