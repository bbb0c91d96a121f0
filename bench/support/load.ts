/// <reference path="./autocannon.d.ts" />
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { postJson } from './feedQuery';

export interface LoadTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The exact response text every request must get back (both endpoints are read-only, so it never changes). */
  expectBody: string;
}

export interface LoadRun {
  name: string;
  /** autocannon's average of the per-second request counts. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  durationSeconds: number;
  /** Share of the run during which the main thread (both servers live there) was busy, 0..1. */
  eventLoopBusy: number;
}

/** The run in progress, so an interrupted benchmark can stop it instead of waiting for it. */
let active: { stop(): void } | null = null;

export function stopActiveLoad(): void {
  active?.stop();
  active = null;
}

/**
 * One autocannon run. The load generator runs in a worker thread, so it does not share the event loop with the two
 * servers (it still shares the machine's cores with them and with PostgreSQL). Any error, timeout, non-2xx status or
 * response that differs from `expectBody` fails the run: a fast wrong answer must not count.
 */
export function runLoad(target: LoadTarget, connections: number, durationSeconds: number, warmup = false): Promise<LoadRun> {
  const elu = performance.eventLoopUtilization();
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      instance.stop();
      reject(new Error(`${target.name}: autocannon did not finish within ${durationSeconds + 60} s`));
    }, (durationSeconds + 60) * 1000);
    const instance = autocannon(
      {
        title: target.name,
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        connections,
        duration: durationSeconds,
        timeout: 30,
        workers: 1,
        expectBody: target.expectBody,
      },
      (error, result) => {
        clearTimeout(guard);
        active = null;
        if (error) return reject(error);
        const failures = result.errors + result.timeouts + result.non2xx + result.mismatches;
        // A short warm-up against a slow endpoint may complete nothing; a measured run must.
        if (failures > 0 || (!warmup && result.requests.total === 0)) {
          return reject(
            new Error(
              `${target.name}: ${result.requests.total} requests with ${result.errors} errors, ${result.timeouts} timeouts, ` +
                `${result.non2xx} non-2xx and ${result.mismatches} bodies that differ from the verified response`,
            ),
          );
        }
        resolve({
          name: target.name,
          requestsPerSecond: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          requests: result.requests.total,
          durationSeconds: result.duration,
          eventLoopBusy: performance.eventLoopUtilization(elu).utilization,
        });
      },
    );
    active = instance;
  });
}

/**
 * When autocannon stops, requests still in flight are abandoned by the client but the server finishes them. Before
 * the next run, probe one request at a time until the endpoint answers about as fast as when idle (at most
 * `maxProbes` probes), so one run's backlog does not slow the next.
 */
export async function settle(target: LoadTarget, idleMs: number, maxProbes = 30): Promise<void> {
  const fastEnough = Math.max(idleMs * 2, idleMs + 20);
  for (let probe = 0; probe < maxProbes; probe++) {
    const started = performance.now();
    const response = await postJson(target.url, target.body, target.headers, 60_000);
    if (response.status !== 200) throw new Error(`${target.name}: HTTP ${response.status} while settling`);
    if (performance.now() - started <= fastEnough) return;
  }
}

/** Median wall time of `count` sequential requests, in ms. */
export async function idleLatency(target: LoadTarget, count = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await postJson(target.url, target.body, target.headers);
    times.push(performance.now() - started);
  }
  return median(times);
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface LoadSummary {
  name: string;
  runs: LoadRun[];
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  eventLoopBusy: number;
}

/** Median of each figure over the runs of one endpoint (with two runs: their mean). */
export function summarize(name: string, runs: LoadRun[]): LoadSummary {
  return {
    name,
    runs,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    eventLoopBusy: median(runs.map((r) => r.eventLoopBusy)),
  };
}
