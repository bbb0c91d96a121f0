/**
 * `npm run migration:create [name]`: applies the existing migrations to a scratch in-memory database, lets MikroORM
 * diff the entities against it, writes the new migration file and lists it in migrations/index.ts.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from './orm';

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
    const className = result.fileName.replace(/\.ts$/, '');
    const indexFile = join(__dirname, 'migrations', 'index.ts');
    const index = readFileSync(indexFile, 'utf8')
      .replace(/^(\/\*\*[\s\S]*?\*\/\n)/, `$1import { ${className} } from './${className}';\n`)
      .replace(/export const migrationsList = \[([\s\S]*?)\];/, (_m, list: string) => {
        const entries = list.split(',').map((s) => s.trim()).filter(Boolean);
        entries.push(`{ name: '${className}', class: ${className} }`);
        return `export const migrationsList = [\n  ${entries.join(',\n  ')},\n];`;
      });
    writeFileSync(indexFile, index);
    console.log(`Wrote ${result.fileName}`);
  } finally {
    await orm.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
