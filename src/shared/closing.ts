import { conflict, type AppError } from './errors';

/**
 * Things that take answers until they are closed: surveys, time polls, thread polls. Each is open until closed by
 * hand (closeSurvey, closeTimePoll, its thread locked) or until its closing time passes, whichever comes first, and
 * that is decided here, at the moment asked, for the writes and the read fields alike (no job has to run for a
 * closing time to take effect).
 */
export interface Closable {
  /** Closed by hand: closed whatever its closing time. */
  closed: boolean;
  /** When it closes by itself, exclusive (closed from that instant on); null: only by hand. */
  closesAt: Date | null;
}

/** Why it is closed at `now`: by hand, or because its closing time passed; null while open. */
export function closedBy({ closed, closesAt }: Closable, now: Date): 'HAND' | 'CLOSING_TIME' | null {
  if (closed) return 'HAND';
  if (closesAt && closesAt.getTime() <= now.getTime()) return 'CLOSING_TIME';
  return null;
}

export const isOpenAt = (closable: Closable, now: Date): boolean => closedBy(closable, now) === null;

/** Answering, voting or responding on a closed one: the thing's state stands in the way, not the actor's rights. */
export const closedRefusal = (message: string): AppError => conflict(message);

/**
 * The SQL form of `isOpenAt` for lists filtered in the database: `closed` and `closesAt` are SQL expressions of the
 * row (a boolean, a timestamptz); `at` is the moment, by default one parameter (or an SQL expression such as a column).
 */
export const openAtSql = (closed: string, closesAt: string, at = '?::timestamptz'): string => `not (${closed}) and (${closesAt} is null or ${closesAt} > ${at})`;
