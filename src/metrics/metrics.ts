import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';

/** Distinct operation names kept as label values; any further name counts as `other` (clients choose names). */
const MAX_OPERATION_NAMES = 200;

/** The process' own metrics (CPU, memory, event loop lag, handles): one set per process, however many apps it runs. */
let processMetrics: Registry | null = null;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'practicehub_' });
  }
  return processMetrics;
}

/**
 * Which limit refused someone: the cost budget (HTTP or socket), log-in attempts, failed log-ins per IP, sign-ups per
 * IP, sockets per member or IP, subscriptions per socket.
 */
export type RateLimit = 'budget' | 'auth' | 'failedLogInsPerIp' | 'signUp' | 'socketsPerMember' | 'socketsPerIp' | 'subscriptionsPerSocket';

/**
 * The instance's Prometheus metrics (prom-client, a registry per app so several apps can share a process in tests),
 * exposed at `GET /metrics`. Other modules count through `services.metrics` (e.g. `rateLimitRefusals`).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'practicehub_graphql_requests_total',
    help: 'GraphQL requests over HTTP, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'practicehub_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request over HTTP to sending its answer, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'practicehub_graphql_errors_total',
    help: 'Errors in GraphQL answers (HTTP and subscriptions), by contract code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly rateLimitRefusals = new Counter({
    name: 'practicehub_rate_limit_refusals_total',
    help: 'Requests or sockets refused by a rate or connection limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();

  /** Counts one refusal by `limit`. */
  refused(limit: RateLimit): void {
    this.rateLimitRefusals.inc({ limit });
  }

  /** The label for an operation: its name, `anonymous`, or `other` past the cap. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** Gauges read when scraped: sockets and subscriptions now open, jobs waiting per queue. */
  observe(sources: { sockets(): { sockets: number; subscriptions: number }; jobDepths(): Promise<{ queue: string; state: string; count: number }[]> }): void {
    new Gauge({
      name: 'practicehub_websocket_connections',
      help: 'Open graphql-ws sockets',
      registers: [this.registry],
      collect() {
        this.set(sources.sockets().sockets);
      },
    });
    new Gauge({
      name: 'practicehub_live_subscriptions',
      help: 'Subscriptions running on open sockets',
      registers: [this.registry],
      collect() {
        this.set(sources.sockets().subscriptions);
      },
    });
    new Gauge({
      name: 'practicehub_job_queue_depth',
      help: 'Jobs not yet finished, by queue and state (created: waiting, retry: waiting to be retried, active: being worked)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { queue, state, count } of await sources.jobDepths()) this.set({ queue, state }, count);
      },
    });
  }

  /** Counts each HTTP request by operation, its duration, and the codes of the errors in its answer. */
  plugin(): ApolloServerPlugin<Context> {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse({ response, operationName, operation }) {
            const label = metrics.operationLabel(operation ? operationName : null);
            metrics.requests.inc({ operation: label, type: operation?.operation ?? 'none' });
            metrics.duration.observe({ operation: label }, Number(process.hrtime.bigint() - started) / 1e9);
            if (response.body.kind !== 'single') return;
            for (const error of response.body.singleResult.errors ?? []) metrics.countError(error.extensions?.code);
          },
        };
      },
    };
  }

  countError(code: unknown): void {
    this.errors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
  }

  /** `GET /metrics` in Prometheus' text format; false for any other route. */
  async route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') return false;
    const registry = Registry.merge([processRegistry(), this.registry]);
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
    return true;
  }
}
