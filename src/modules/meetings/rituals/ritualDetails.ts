import type { Em } from '../../../db/orm';
import { badUserInput, type FieldError } from '../../../shared/errors';
import { hasControlCharacter, NO_CONTROL_MESSAGE } from '../../../shared/validation';
import { MAX_HOSTS, MAX_PROMPT, MAX_TITLE } from './ritual.inputs';
import type { Ritual } from './ritual.entity';
import { Recurrence, RecurrenceError } from './recurrence';

const DAY = 86_400_000;
/** How far startsAt may lie from now: a year back (to keep an INTERVAL's phase), two years ahead. */
const MAX_PAST = 366 * DAY;
const MAX_FUTURE = 2 * 366 * DAY;

/** What a ritual's organiser sets; undefined leaves it as it is (update), null is refused (nothing can be cleared). */
export interface RitualDetails {
  title?: string | null;
  prompt?: string | null;
  rrule?: string | null;
  startsAt?: Date | null;
  timeZone?: string | null;
  /** Membership database ids, in rotation order. */
  hostMembershipIds?: string[] | null;
}

/**
 * The first occurrence a ritual posts from `now` on: the first at or after its start, strictly after now (an
 * unpaused or changed ritual resumes with the next future occurrence, never with one already gone).
 */
export function upcomingOccurrence(recurrence: Recurrence, now: Date): Date | null {
  return recurrence.startsAt > now ? recurrence.next(recurrence.startsAt, true) : recurrence.next(now);
}

/** A stored ritual's recurrence (its values were checked when they were set). */
export const recurrenceOf = (ritual: Pick<Ritual, 'rrule' | 'timeZone' | 'startsAt'>) => Recurrence.of(ritual);

/**
 * Checks details against a ritual (a new one has empty fields) and applies them, every problem reported at once and
 * nothing applied when one is wrong: non-blank title and prompt, a valid RRULE in a valid zone that still produces
 * an occurrence, a start within range, hosts that are distinct ACTIVE members of the community (their membership
 * rows are share-locked, so a host cannot leave until the transaction ends). Runs inside the command's transaction.
 * Returns the fields that changed.
 */
export async function applyRitualDetails(em: Em, ritual: Ritual, details: RitualDetails, now: Date): Promise<string[]> {
  const errors: FieldError[] = [];
  for (const field of ['title', 'prompt', 'rrule', 'startsAt', 'timeZone', 'hostMembershipIds'] as const) {
    if (details[field] === null) errors.push({ field, message: 'cannot be cleared' });
  }
  if (errors.length) throw badUserInput(errors);
  const text = (field: 'title' | 'prompt', max: number) => {
    const value = details[field];
    if (value === undefined || value === null) return;
    if (!value.trim()) errors.push({ field, message: 'must not be blank' });
    else if (value.trim().length > max) errors.push({ field, message: `must be at most ${max} characters` });
    else if (hasControlCharacter(value)) errors.push({ field, message: NO_CONTROL_MESSAGE });
  };
  text('title', MAX_TITLE);
  text('prompt', MAX_PROMPT);

  const scheduleGiven = details.rrule != null || details.startsAt != null || details.timeZone != null;
  const startsAt = details.startsAt ?? ritual.startsAt;
  let recurrence: Recurrence | null = null;
  let upcoming: Date | null = null;
  if (scheduleGiven) {
    if (details.startsAt != null && (details.startsAt.getTime() < now.getTime() - MAX_PAST || details.startsAt.getTime() > now.getTime() + MAX_FUTURE)) {
      errors.push({ field: 'startsAt', message: 'must be at most a year ago and at most two years ahead' });
    }
    try {
      recurrence = Recurrence.of({ rrule: details.rrule ?? ritual.rrule, timeZone: details.timeZone ?? ritual.timeZone, startsAt });
      upcoming = upcomingOccurrence(recurrence, now);
      if (!upcoming) errors.push({ field: 'rrule', message: 'produces no occurrence from startsAt on (after now)' });
    } catch (error) {
      if (!(error instanceof RecurrenceError)) throw error;
      errors.push(...error.problems);
    }
  }

  const hosts = details.hostMembershipIds ?? undefined;
  if (hosts) {
    if (hosts.length < 1 || hosts.length > MAX_HOSTS) errors.push({ field: 'hostMembershipIds', message: `must name 1 to ${MAX_HOSTS} memberships` });
    else if (new Set(hosts).size !== hosts.length) errors.push({ field: 'hostMembershipIds', message: 'must not name a membership twice' });
    else {
      const active = await em.execute<{ id: string }[]>(
        `select id from membership where id in (?) and community_id = ? and status = 'ACTIVE' for share`,
        [hosts, ritual.community.id],
      );
      const found = new Set(active.map((row) => row.id));
      const missing = hosts.map((id, i) => (found.has(id) ? null : i + 1)).filter((position) => position !== null);
      if (missing.length) {
        errors.push({ field: 'hostMembershipIds', message: `must all be ACTIVE members of this community (not item ${missing.join(', ')})` });
      }
    }
  }
  if (errors.length) throw badUserInput(errors);

  const changed: string[] = [];
  const set = <K extends 'title' | 'prompt'>(field: K, value: string | null | undefined) => {
    if (value == null || value.trim() === ritual[field]) return;
    ritual[field] = value.trim();
    changed.push(field);
  };
  set('title', details.title);
  set('prompt', details.prompt);
  if (recurrence) {
    const before = [ritual.rrule, ritual.timeZone, ritual.startsAt?.getTime()].join('|');
    ritual.rrule = recurrence.rrule;
    ritual.timeZone = recurrence.timeZone;
    ritual.startsAt = recurrence.startsAt;
    ritual.nextOccurrenceAt = upcoming;
    if (before !== [ritual.rrule, ritual.timeZone, ritual.startsAt.getTime()].join('|')) changed.push('schedule');
  }
  if (hosts && hosts.join() !== ritual.hostMembershipIds.join()) {
    ritual.hostMembershipIds = [...hosts];
    ritual.nextHostIndex = 0;
    changed.push('hosts');
  }
  if (changed.length) ritual.updatedAt = now;
  return changed;
}
