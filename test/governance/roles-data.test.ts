import 'reflect-metadata';
import { Client } from 'pg';
import { createOrm, migrate, type Em, type Orm } from '../../src/db/orm';
import { seedIfEmpty } from '../../src/db/seed/demo';
import { adminUrl, databaseUrl } from '../support/database';

/** A database of its own, migrated by the test (the shared template is already past the role-terms migration). */
async function withEmptyDatabase(test: (orm: Orm) => Promise<void>): Promise<void> {
  const name = `practicehub_roles_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const orm = await createOrm({ databaseUrl: databaseUrl(name), dataDir: '' });
  try {
    await test(orm);
  } finally {
    await orm.close();
    await admin.query(`drop database "${name}" with (force)`);
    await admin.end();
  }
}

describe('the role terms migration', () => {
  it('backfills an open term for every role held by an ACTIVE member, started when they joined', async () => {
    await withEmptyDatabase(async (orm) => {
      await orm.migrator.up({ to: 'Migration20261202060853_governance_foundation' });
      const em = orm.em.fork() as Em;
      await em.execute(
        `insert into member (id, email, email_key, password_hash, display_name) values ('00000000-0000-0000-0000-0000000000a1', 'a@x.org', 'a@x.org', 'x', 'A'), ('00000000-0000-0000-0000-0000000000a2', 'b@x.org', 'b@x.org', 'x', 'B')`,
      );
      await em.execute(`insert into community (id, slug, name, description) values ('00000000-0000-0000-0000-0000000000c1', 'backfill', 'Backfill', 'd')`);
      await em.execute(
        `insert into membership (id, member_id, community_id, status, roles, joined_at) values ` +
          `('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000c1', 'ACTIVE', '{LEAD,DISCUSSION_MONITOR}', '2026-01-05T10:00:00Z'), ` +
          `('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000c1', 'ACTIVE', '{}', now())`,
      );
      await migrate(orm);
      const terms = await em.execute<{ membership_id: string; role: string; started_at: Date; ended_at: Date | null; term_ends_at: Date | null }[]>(
        'select membership_id, role, started_at, ended_at, term_ends_at from role_term order by role',
      );
      expect(terms.map((t) => [t.membership_id.slice(-2), t.role, new Date(t.started_at).toISOString(), t.ended_at, t.term_ends_at])).toEqual([
        ['b1', 'DISCUSSION_MONITOR', '2026-01-05T10:00:00.000Z', null, null],
        ['b1', 'LEAD', '2026-01-05T10:00:00.000Z', null, null],
      ]);
    });
  });
});

describe('the demo seed', () => {
  it('gives every held role an open term, one ending within 14 days, a handover with its note, and open roles', async () => {
    await withEmptyDatabase(async (orm) => {
      await migrate(orm);
      await seedIfEmpty(orm, 1024);
      const em = orm.em.fork() as Em;
      const [row] = await em.execute<{ untermed: string; ending: string; handovers: string; open: string }[]>(
        `select (select count(*) from membership m cross join unnest(m.roles) r(role) where m.status = 'ACTIVE' and not exists ` +
          `(select 1 from role_term t where t.membership_id = m.id and t.role = r.role::text and t.ended_at is null)) as untermed, ` +
          `(select count(*) from role_term where ended_at is null and term_ends_at between now() and now() + interval '14 days') as ending, ` +
          `(select count(*) from role_term t join role_term n on n.membership_id = t.handed_over_to_id and n.role = t.role ` +
          ` where t.end_reason = 'HANDED_OVER' and t.handover_note <> '' and n.ended_at is null) as handovers, ` +
          `(select count(*) from community where cardinality(open_roles) > 0) as open`,
      );
      expect(row).toEqual({ untermed: '0', ending: '1', handovers: '1', open: '1' });
    });
  });
});
