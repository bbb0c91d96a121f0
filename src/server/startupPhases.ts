import { performance } from 'node:perf_hooks';

/**
 * How long each step of a start took, in ms, in the order they ran (`orm`, `migrate`, `seed`, `jobs`, ...): logged
 * with the "ready" line so a slow start shows where its time went.
 */
export class StartupPhases {
  private last = performance.now();
  readonly phases: Record<string, number> = {};

  /** Ends the step running since the previous mark (or since construction). */
  mark(name: string): void {
    const now = performance.now();
    this.phases[name] = Math.round(now - this.last);
    this.last = now;
  }
}
