import type { PublishedEvent, StreamKind } from './events';

/** How far back `since` can reach: the last hour, at most this many events per stream (the most recent ones). */
export const REPLAY_WINDOW_MS = 60 * 60 * 1000;
export const REPLAY_MAX_EVENTS = 1_000;

/** A stream of the log: a thread's or a community's events, numbered 1, 2, 3… in commit order. */
export interface Stream {
  kind: StreamKind;
  id: string;
}

/** `thread:<id>` / `community:<id>` (topic names double as stream keys). */
export function streamOf(topic: string): Stream {
  const [kind, id] = topic.split(':') as [StreamKind, string];
  return { kind, id };
}

/**
 * A client's cursor: the position of the last event it saw in its stream. Typing (not logged) carries the
 * position the stream was at plus a suffix.
 */
export function cursorPosition(cursor: string | null | undefined): bigint | null {
  const match = /^(\d{1,19})(?:\.t\d+)?$/.exec(cursor ?? '');
  return match ? BigInt(match[1]!) : null;
}

/** The event's position in a stream; null when it is not logged (typing) or not in that stream. */
export function positionIn(event: PublishedEvent, kind: StreamKind): bigint | null {
  const position = event.positions?.[kind];
  return position === undefined ? null : BigInt(position);
}

