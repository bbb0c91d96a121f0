import 'reflect-metadata';
import { Client } from 'pg';
import { createOrm, migrate, type Em, type Orm } from '../../src/db/orm';
import { migrationsList } from '../../src/db/migrations';
import { DEMO_EMAIL, seedIfEmpty } from '../../src/db/seed/demo';
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/server/app';
import { adminUrl, databaseUrl } from '../support/database';

/** An empty database (not cloned from the migrated template). */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `practicehub_empty_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  return {
    url: databaseUrl(name),
    async drop() {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const { rowCount } = await client.query(`select 1 from information_schema.tables where table_schema = 'public' and table_name = $1`, [table]);
  await client.end();
  return rowCount === 1;
}

describe('migrations', () => {
  it('apply exactly once when several instances start at the same time', async () => {
    const database = await emptyDatabase();
    const orms: Orm[] = [];
    try {
      for (let i = 0; i < 3; i++) orms.push(await createOrm({ databaseUrl: database.url, dataDir: '' }));
      const applied = await Promise.all(orms.map((orm) => migrate(orm)));
      expect(applied.flat().sort()).toEqual(migrationsList.map((m) => m.name).sort());
      const rows = await (orms[0]!.em.fork() as Em).execute<{ name: string }[]>('select name from mikro_orm_migrations');
      expect(rows.map((r) => r.name).sort()).toEqual(migrationsList.map((m) => m.name).sort());
    } finally {
      await Promise.all(orms.map((orm) => orm.close()));
      await database.drop();
    }
  });

  it('are not applied on start when MIGRATE_ON_START=false', async () => {
    const database = await emptyDatabase();
    try {
      const app = await startApp(
        loadConfig({ DATABASE_URL: database.url, MIGRATE_ON_START: 'false', PORT: '0', HOST: '127.0.0.1', JWT_SECRET: 'x'.repeat(40) }),
      );
      await app.close();
      expect(await tableExists(database.url, 'member')).toBe(false);
    } finally {
      await database.drop();
    }
  });
});

describe('the demo seed', () => {
  it('loads the five communities once, with every thread kind, and does nothing the second time', async () => {
    const database = await emptyDatabase();
    const orm = await createOrm({ databaseUrl: database.url, dataDir: '' });
    try {
      await migrate(orm);
      const login = await seedIfEmpty(orm, 1024);
      expect(login?.email).toBe(DEMO_EMAIL);
      expect(await seedIfEmpty(orm, 1024)).toBeNull();
      const em = orm.em.fork() as Em;
      const [counts] = await em.execute<{ communities: string; restricted: string; members: string }[]>(
        `select (select count(*) from community c where not exists (select 1 from community_proposal p where p.community_id = c.id)) as communities,
                (select count(*) from community where visibility = 'RESTRICTED') as restricted,
                (select count(*) from member) as members`,
      );
      expect(Number(counts!.communities)).toBe(5);
      expect(Number(counts!.restricted)).toBe(1);
      expect(Number(counts!.members)).toBeGreaterThanOrEqual(55);
      const kinds = await em.execute<{ kind: string }[]>('select distinct kind::text as kind from thread order by 1');
      expect(kinds.map((k) => k.kind)).toEqual(['AMA', 'ANNOUNCEMENT', 'DISCUSSION', 'PROMPT', 'QUESTION']);
      const [drift] = await em.execute<{ wrong: string }[]>(
        `select count(*) as wrong from thread t where t.reply_count <> (select count(*) from post p where p.thread_id = t.id and p.deleted_at is null)`,
      );
      expect(Number(drift!.wrong)).toBe(0);
    } finally {
      await orm.close();
      await database.drop();
    }
  });
});
