/** The part of autocannon 9's programmatic API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      pipelining?: number;
      /** Run the load in this many worker threads, off the main event loop. */
      workers?: number;
      /** Every response body must equal this text, or it counts as a mismatch. */
      expectBody?: string;
      title?: string;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      sent?: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
    }

    interface Result {
      title?: string;
      url: string;
      connections: number;
      /** Seconds. */
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      '2xx': number;
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
    }

    type Callback = (error: Error | null, result: Result) => void;
  }

  function autocannon(options: autocannon.Options, callback: autocannon.Callback): EventEmitter & { stop(): void };

  export = autocannon;
}
