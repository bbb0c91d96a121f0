import 'reflect-metadata';
import { loadConfig } from './config';
import { startApp } from './server/app';
import { logger } from './logging/logger';

async function main(): Promise<void> {
  // Since the process started (performance's time origin): Node's own start and loading the modules.
  const loadedMs = Math.round(performance.now());
  const config = loadConfig();
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const app = await startApp(config, {
    onSeeded: ({ email, password }) => logger.info(`Demo data loaded. Log in as ${email} / ${password}`),
  });
  logger.info({ startupMs: { load: loadedMs, ...app.startup, total: Math.round(performance.now()) } }, `PracticeHub API ready at ${app.url}/graphql (${database})`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: draining and shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'Failed to start');
  process.exit(1);
});
