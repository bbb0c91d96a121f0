import 'reflect-metadata';
import { Client } from 'pg';
import { createOrm, migrate } from '../../src/db/orm';
import { migrationsList } from '../../src/db/migrations';
import { JobQueue } from '../../src/jobs/queue';
import { adminUrl, databaseUrl, templateName } from './database';

/**
 * Once per `jest` run: builds a template database with every migration applied (by the app's own migrator).
 * Each test file then clones it with CREATE DATABASE ... TEMPLATE, which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  const template = templateName(migrationsList);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (exists.rowCount) return;
    const building = `${template}_building_${process.pid}`;
    await admin.query(`drop database if exists "${building}"`);
    await admin.query(`create database "${building}"`);
    const orm = await createOrm({ databaseUrl: databaseUrl(building), dataDir: '' });
    try {
      await migrate(orm);
      // The job queue's own schema too, so that no test file's server spends its start installing it.
      const jobs = await JobQueue.create(orm, databaseUrl(building), { workJobs: false });
      await jobs.start();
      await jobs.stop();
    } finally {
      await orm.close();
    }
    // Another run may have finished first; either template is identical.
    await admin.query(`alter database "${building}" rename to "${template}"`).catch(async () => {
      await admin.query(`drop database if exists "${building}"`);
    });
  } finally {
    await admin.end();
  }
}
