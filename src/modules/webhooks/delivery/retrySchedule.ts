/**
 * When a failed delivery is tried again: after the `attempts`-th failure, the (attempts)-th configured delay with
 * ±10 % jitter (so receivers coming back from an outage are not hit by every webhook at once); null when the
 * schedule is used up and the delivery has failed for good.
 */
export function nextAttemptAt(delaysMs: number[], attempts: number, now: Date, random: () => number = Math.random): Date | null {
  const delay = delaysMs[attempts - 1];
  if (delay === undefined) return null;
  const jittered = Math.round(delay * (0.9 + 0.2 * random()));
  return new Date(now.getTime() + jittered);
}
