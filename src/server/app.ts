import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimiterMemory } from 'rate-limiter-flexible';
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
import '../modules/registerEvents';

export interface App {
  url: string;
  services: Services;
  server: Server;
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
  const orm: Orm = await createOrm({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onQuery: options.onQuery,
    logQueries: config.logQueries,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  let startedJobs: JobQueue | null = null;
  try {
    if (config.migrateOnStart) await migrate(orm);
    if (config.seedOnEmpty) {
      const login = await seedIfEmpty(orm, config.passwordHashCost);
      if (login) options.onSeeded?.(login);
    }
    const live = await createLiveServices(config);
    const events = new LoggedEventBus(orm, live.events);
    const jobs = await JobQueue.create(orm, config.databaseUrl, { workJobs: config.jobsEnabled, pollingIntervalSeconds: config.jobPollSeconds });
    const dispatcher = new EventDispatcher(orm, { pollMs: config.eventPollMs });
    events.dispatched = () => dispatcher.settled();
    const services: Services = {
      config,
      orm,
      tokens: new TokenService(config.jwtSecret, config.tokenTtlSeconds),
      // In memory, so per instance: with several instances the effective limit is that many times higher.
      authLimiter: new RateLimiterMemory({ points: config.authMaxAttempts, duration: 15 * 60 }),
      signUpLimiter: new RateLimiterMemory({ points: config.signUpsPerIpPerHour, duration: 60 * 60 }),
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
    await jobs.start();
    for (const background of backgrounds) await background.start?.(services);
    // Drains what an earlier process left undispatched, then follows commits.
    await dispatcher.start();
    const schema = await buildAppSchema();
    const apollo = createApollo(schema, config.limits, options.errorLogger, [services.metrics.plugin(), requestLogPlugin()]);
    await apollo.start();
    const mail = mailRoutes(services);
    const calendar = calendarRoutes(services);
    const { server, drained } = createHttpServer({ apollo, services, routes: async (req, res) => (await services.metrics.route(req, res)) || (!config.production && (await explorerRoutes(req, res))) || (await mail(req, res)) || (await calendar(req, res)) || demoRoutes(req, res) });
    const sockets = attachWebSockets(server, schema, services);
    services.metrics.observe({ sockets: () => sockets.stats(), jobDepths: () => jobs.depths() });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      services,
      server,
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
