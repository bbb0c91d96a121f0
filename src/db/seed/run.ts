/**
 * `npm run seed`: migrates the configured database (DATABASE_URL, or the embedded PGlite in DATA_DIR) and loads the
 * demo data if it has no members yet. Safe to run again: a database with data is left alone.
 */
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { createOrm, migrate } from '../orm';
import { seedIfEmpty } from './demo';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await createOrm({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(orm);
    const login = await seedIfEmpty(orm, config.passwordHashCost);
    if (login) console.log(`Demo data loaded. Log in as ${login.email} / ${login.password}`);
    else console.log('database already has data; nothing seeded');
  } finally {
    await orm.close(true);
  }
}

let finished = false;
// A promise that never settles (say, a driver waiting on a connection nobody will release) lets Node exit quietly with
// status 0; make that a visible failure instead of a seed that silently did nothing.
process.on('exit', () => {
  if (finished) return;
  console.error('Seeding failed: the process ran out of work before the seed finished (a database call never completed)');
  process.exitCode = 1;
});

main().then(
  () => {
    finished = true;
  },
  (error: unknown) => {
    finished = true;
    console.error('Seeding failed:', error);
    process.exitCode = 1;
  },
);
