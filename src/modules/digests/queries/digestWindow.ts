/** At most this many items of each kind per community in one digest (the rest is counted: "and 12 more"). */
export const ITEMS_PER_KIND = 20;
/** Fetched per kind, so that leaving out the member's own items still leaves ITEMS_PER_KIND to show. */
export const FETCHED_PER_KIND = ITEMS_PER_KIND + 5;

/** The statements' log label (`BACKGROUND` when a job reads). */
export type LoggerContext = { label: string };

/** One community read from one moment (a member's previous digest) up to the run's `until`. */
export interface DigestWindow {
  communityId: string;
  since: Date;
}

export const windowKey = (communityId: string, since: Date) => `${communityId}|${since.toISOString()}`;

/** The windows as the `w` relation of a statement (`jsonb_to_recordset(?::jsonb) as w(community_id uuid, since timestamptz)`). */
export const windowsParam = (windows: DigestWindow[]) => JSON.stringify(windows.map((w) => ({ community_id: w.communityId, since: w.since.toISOString() })));

/** Items of one kind in one window: the rows fetched and how many there are in all. */
export interface Listed<T> {
  rows: T[];
  total: number;
}

/** Keeps what others did (a member's digest does not tell them about their own posts) and counts what it drops. */
export function othersOnly<T>(list: Listed<T>, isOwn: (item: T) => boolean): { shown: T[]; more: number } {
  const others = list.rows.filter((item) => !isOwn(item));
  const own = list.rows.length - others.length;
  const shown = others.slice(0, ITEMS_PER_KIND);
  return { shown, more: Math.max(0, list.total - own - shown.length) };
}
