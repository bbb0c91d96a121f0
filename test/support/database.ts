import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the suite runs against (`DATABASE_URL`, default the local `test` database). */
export const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Connects to the server's maintenance database for CREATE/DROP DATABASE. */
export const adminUrl = () => databaseUrl('postgres');

/**
 * The template's name changes whenever the migrations do (names or code), so a stale template is never reused.
 */
export function templateName(migrations: { name: string; class: { toString(): string } }[]): string {
  const hash = createHash('sha1');
  for (const migration of migrations) hash.update(migration.name).update(migration.class.toString());
  // The job queue's schema is installed in the template too: a new pg-boss version needs a new template.
  hash.update(`pg-boss ${(require('pg-boss/package.json') as { version: string }).version}`);
  return `practicehub_tpl_${hash.digest('hex').slice(0, 12)}`;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(template: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `practicehub_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
