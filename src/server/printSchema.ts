/**
 * `npm run schema:print` writes schema/schema.graphql from the code-first schema;
 * `npm run schema:check` fails when the committed file differs (CI runs it).
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './schema';

const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema();
  return `# Printed by \`npm run schema:print\` from the code-first schema. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

async function main(): Promise<void> {
  const printed = await printAppSchema();
  if (process.argv.includes('--check')) {
    const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== printed) {
      console.error('schema/schema.graphql is stale: run `npm run schema:print` and commit the result.');
      process.exit(1);
    }
    console.log('schema/schema.graphql is up to date.');
    return;
  }
  writeFileSync(SCHEMA_FILE, printed);
  console.log(`Wrote ${SCHEMA_FILE}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
