import 'reflect-metadata';
import { loadConfig } from './config';
import { startApp } from './server/app';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const app = await startApp(config, {
    onSeeded: ({ email, password }) => console.log(`Demo data loaded. Log in as ${email} / ${password}`),
  });
  console.log(`PracticeHub API ready at ${app.url}/graphql (${database})`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: draining and shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
