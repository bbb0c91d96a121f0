import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { createOrm, migrate, type Orm } from '../db/orm';
import { seedIfEmpty } from '../db/seed/demo';
import { TokenService } from '../modules/members/tokens';
import { createApollo } from './apollo';
import type { Services } from '../context';
import type { ErrorLogger } from '../shared/errorBoundary';
import { createHttpServer } from './http';
import { attachWebSockets } from '../realtime/ws';
import { createLiveServices } from '../realtime/liveServices';
import { TypingTracker } from '../realtime/typingTracker';
import { LoggedEventBus } from '../realtime/eventLog';
import { MentorMatchIndex } from '../modules/mentoring/queries/mentorMatchIndex';
import { demoRoutes } from './demo/routes';
import { explorerRoutes } from './explorer/explorer';
import { Metrics } from '../metrics/metrics';
import { logger, type LogLevel } from '../logging/logger';
import { requestLogPlugin } from '../logging/requestLog';
import { buildAppSchema } from './schema';
import { JobQueue } from '../jobs/queue';
import { EventDispatcher } from '../events/dispatcher';
import { backgrounds } from '../modules/background';
import { createMailer } from '../mail/transport';
import { mailRoutes } from '../mail/routes';
import { calendarRoutes } from '../modules/meetings/calendar/calendar.routes';
import { createLimiter, type LimiterStore } from '../limits/limiter';
import { RateLimits } from '../limits/rateLimits';
import { StartupPhases } from './startupPhases';
import '../modules/registerEvents';

export interface App {
  url: string;
  services: Services;
  server: Server;
  /** Milliseconds each step of startApp took (orm, migrate, seed, jobs, dispatcher, schema, apollo, listen). */
  startup: Record<string, number>;
  close(): Promise<void>;
}

export interface AppOptions {
  onQuery?: (sql: string) => void;
  errorLogger?: ErrorLogger;
  /** Called with the demo login when demo data was just loaded. */
  onSeeded?: (login: { email: string; password: string }) => void;
}

/** config -> orm (migrated, seeded when empty) -> schema -> Apollo -> HTTP server listening. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  logger.level = config.logLevel satisfies LogLevel;
  const startup = new StartupPhases();
  const orm: Orm = await createOrm({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onQuery: options.onQuery,
    logQueries: config.logQueries,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  startup.mark('orm');
  let startedJobs: JobQueue | null = null;
  try {
    if (config.migrateOnStart) await migrate(orm);
    startup.mark('migrate');
    if (config.seedOnEmpty) {
      const login = await seedIfEmpty(orm, config.passwordHashCost);
      if (login) options.onSeeded?.(login);
    }
    startup.mark('seed');
    const live = await createLiveServices(config);
    const events = new LoggedEventBus(orm, live.events);
    const jobs = await JobQueue.create(orm, config.databaseUrl, { workJobs: config.jobsEnabled, pollingIntervalSeconds: config.jobPollSeconds });
    const dispatcher = new EventDispatcher(orm, { pollMs: config.eventPollMs });
    events.dispatched = () => dispatcher.settled();
    // Through Redis when REDIS_URL is set, so every instance counts against the same budgets.
    const store: LimiterStore = { redis: live.redis?.commands ?? null, prefix: config.redisPrefix };
    const services: Services = {
      config,
      orm,
      tokens: new TokenService(config.jwtSecret, config.tokenTtlSeconds),
      authLimiter: createLimiter(store, 'login', config.authMaxAttempts, 15 * 60),
      signUpLimiter: createLimiter(store, 'signup', config.signUpsPerIpPerHour, 60 * 60),
      failedLogInLimiter: createLimiter(store, 'login-failures', config.authFailuresPerIpPerHour, 60 * 60),
      rateLimits: new RateLimits(store, config.rateLimit),
      events,
      transport: live.events,
      jobs,
      dispatcher,
      mailer: createMailer(config, orm),
      presence: live.presence,
      typing: new TypingTracker(events, config.typingTtlMs),
      mentorMatchIndex: new MentorMatchIndex(),
      metrics: new Metrics(),
    };
    for (const background of backgrounds) {
      for (const job of background.jobs?.(services) ?? []) jobs.define(job);
      for (const consumer of background.consumers?.(services) ?? []) dispatcher.add(consumer);
      for (const schedule of background.schedules?.(services) ?? []) jobs.schedule(schedule);
    }
    startedJobs = jobs;
    startup.mark('services');
    await jobs.start();
    startup.mark('jobs');
    for (const background of backgrounds) await background.start?.(services);
    startup.mark('backgrounds');
    // Drains what an earlier process left undispatched, then follows commits.
    await dispatcher.start();
    startup.mark('dispatcher');
    const schema = await buildAppSchema();
    startup.mark('schema');
    const apollo = createApollo(schema, config.limits, options.errorLogger, [services.metrics.plugin(), requestLogPlugin()]);
    await apollo.start();
    startup.mark('apollo');
    const mail = mailRoutes(services);
    const calendar = calendarRoutes(services);
    const demo = demoRoutes(services);
    const routes = async (req: IncomingMessage, res: ServerResponse) =>
      (await services.metrics.route(req, res)) || (!config.production && (await explorerRoutes(req, res))) || (await mail(req, res)) || (await calendar(req, res)) || demo(req, res);
    const { server, drained } = createHttpServer({ apollo, services, errorLogger: options.errorLogger, routes });
    const sockets = attachWebSockets(server, schema, services);
    services.metrics.observe({ sockets: () => sockets.stats(), jobDepths: () => jobs.depths() });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    startup.mark('listen');
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      services,
      server,
      startup: startup.phases,
      close() {
        closing ??= (async () => {
          // Close sockets (1001 Going Away), stop accepting, let running requests finish (bounded), then stop
          // Apollo and the database.
          await sockets.close();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await Promise.race([drained(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
          server.closeAllConnections();
          await closed;
          await apollo.stop();
          services.typing.close();
          await dispatcher.stop();
          await jobs.stop();
          await services.mailer.close();
          await services.events.settled();
          await live.close();
          await orm.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await startedJobs?.stop().catch(() => undefined);
    await orm.close().catch(() => undefined);
    throw error;
  }
}
