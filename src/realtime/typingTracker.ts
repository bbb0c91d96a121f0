import type { LiveEvent } from './events';

/** A typing flag hides by itself this long after the last renewal (Zulip: clients resend every 10 s, hide after 15 s). */
export const TYPING_TTL_MS = 15_000;
/** Renewals closer together than this are not re-broadcast (the flag is already showing). */
export const TYPING_THROTTLE_MS = 3_000;

interface TypingState {
  lastBroadcast: number;
  expiry: NodeJS.Timeout;
}

/**
 * Who is typing where, on this instance: broadcasts TypingChanged when a member starts or stops, throttles
 * renewals, and broadcasts the stop itself when a member goes quiet without saying so.
 */
export class TypingTracker {
  private readonly states = new Map<string, TypingState>();

  constructor(
    private readonly events: { publish(event: LiveEvent): void },
    private readonly ttlMs = TYPING_TTL_MS,
    private readonly throttleMs = TYPING_THROTTLE_MS,
  ) {}

  set(where: { threadId: string; communityId: string }, memberId: string, typing: boolean): void {
    const key = `${where.threadId}:${memberId}`;
    const state = this.states.get(key);
    if (!typing) {
      if (!state) return;
      this.stop(key, where, memberId);
      return;
    }
    const now = Date.now();
    if (state) clearTimeout(state.expiry);
    const expiry = setTimeout(() => this.stop(key, where, memberId), this.ttlMs);
    expiry.unref();
    const broadcast = !state || now - state.lastBroadcast >= this.throttleMs;
    this.states.set(key, { lastBroadcast: broadcast ? now : state!.lastBroadcast, expiry });
    if (broadcast) this.events.publish({ type: 'TypingChanged', ...where, memberId, typing: true });
  }

  close(): void {
    for (const state of this.states.values()) clearTimeout(state.expiry);
    this.states.clear();
  }

  private stop(key: string, where: { threadId: string; communityId: string }, memberId: string): void {
    const state = this.states.get(key);
    if (!state) return;
    clearTimeout(state.expiry);
    this.states.delete(key);
    this.events.publish({ type: 'TypingChanged', ...where, memberId, typing: false });
  }
}
