import { join } from 'node:path';
import { writeSection } from './report';

export interface Benchmark<T> {
  /** The npm script, used as the log prefix: `bench:feed`. */
  name: string;
  /** After this long the run gives up (cleaning up first): nothing in CI or on a laptop hangs forever. */
  budgetSeconds: number;
  run(): Promise<T>;
  /** Drops what the run created (databases, servers, child processes); safe to call more than once. */
  cleanUp(): Promise<void>;
  /** Called first on SIGINT/SIGTERM (e.g. to stop a load generator). */
  onInterrupt?(): void;
  /** Log lines for the console, then the BENCHMARKS.md section (heading and body). */
  report(results: T): { summary: string[]; heading: string; body: string };
  writeResults: boolean;
}

/**
 * Runs a benchmark script to the end: a watchdog, clean-up on signals, failure or success, results written to
 * BENCHMARKS.md, and an exit code. The signal handlers stay registered while cleaning up: Apollo Server stops itself
 * on SIGINT/SIGTERM and then re-raises the signal, which would kill the process before the database is dropped if
 * nobody listened any more.
 */
export function runBenchmark<T>(bench: Benchmark<T>): void {
  const prefix = `[${bench.name}]`;
  const watchdog = setTimeout(() => {
    console.error(`${prefix} still running after ${bench.budgetSeconds} s; giving up`);
    void bench.cleanUp().finally(() => process.exit(1));
  }, bench.budgetSeconds * 1000);
  watchdog.unref();
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`${prefix} interrupted; cleaning up`);
    bench.onInterrupt?.();
    void bench.cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  const finish = async (): Promise<number> => {
    try {
      const results = await bench.run();
      const { summary, heading, body } = bench.report(results);
      for (const line of summary) console.log(`${prefix} ${line}`);
      if (bench.writeResults) {
        const file = join(__dirname, '..', '..', 'BENCHMARKS.md');
        writeSection(file, heading, body);
        console.log(`${prefix} results written to ${file}`);
      } else {
        console.log(`${prefix} BENCH_WRITE_RESULTS=false: BENCHMARKS.md left as it is`);
      }
      return 0;
    } catch (error) {
      console.error(`${prefix} FAILED:`, error instanceof Error ? error.stack : error);
      return 1;
    } finally {
      await bench.cleanUp();
      clearTimeout(watchdog);
      process.removeListener('SIGINT', interrupt);
      process.removeListener('SIGTERM', interrupt);
    }
  };

  void finish().then((code) => {
    process.exitCode = code;
    // Everything is closed by now, so Node exits by itself; if something still holds the event loop, say what.
    setTimeout(() => {
      console.error(`${prefix} the process did not exit on its own; open resources:`, process.getActiveResourcesInfo());
      process.exit(code || 1);
    }, 10_000).unref();
  });
}

/** Things to undo, newest first, whether the run succeeds, fails or is interrupted; undone once however often asked. */
export class CleanUps {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private cleaning: Promise<void> | null = null;

  constructor(private readonly benchmark: string) {}

  push(step: { name: string; run: () => Promise<void> }): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const { name, run } of this.steps.splice(0).reverse()) {
        console.log(`[${this.benchmark}] cleanup: ${name}`);
        await run().catch((error: unknown) => console.error(`[${this.benchmark}] cleanup "${name}" failed:`, error));
      }
    })();
    return this.cleaning;
  }
}
