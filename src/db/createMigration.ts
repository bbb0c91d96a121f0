/**
 * `npm run migration:create [name]`: applies the existing migrations to a scratch in-memory database, lets MikroORM
 * diff the entities against it, writes the new migration file and lists it in migrations/index.ts.
 */
import 'reflect-metadata';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from './orm';

/** migrations/index.ts lists every migration file in name (= timestamp) order. */
function writeMigrationIndex(folder: string): void {
  const names = readdirSync(folder)
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const lines = [
    '/** Every migration, in order; generated files are listed here because Node 20 cannot glob them. */',
    ...names.map((name) => `import { ${name} } from './${name}';`),
    '',
    'export const migrationsList = [',
    ...names.map((name) => `  { name: '${name}', class: ${name} },`),
    '];',
    '',
  ];
  writeFileSync(join(folder, 'index.ts'), lines.join('\n'));
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const options = ormOptions({ databaseUrl: null, dataDir: '' });
  const orm = await MikroORM.init({ ...options, dbName: 'memory://' });
  try {
    await orm.migrator.up();
    const result = await orm.migrator.create(join(__dirname, 'migrations'), false, false, name);
    if (!result.fileName) {
      console.log('No schema changes: no migration written.');
      return;
    }
    writeMigrationIndex(join(__dirname, 'migrations'));
    console.log(`Wrote ${result.fileName}`);
  } finally {
    await orm.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
