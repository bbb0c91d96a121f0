import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One row per run of a scheduled job and period (`digest:DAILY:2026-12-02`): the job claims its key with an
 * insert before it works, so a schedule that fires twice (two instances, a restart, a retried job) runs once.
 */
@Entity({ tableName: 'scheduled_run' })
export class ScheduledRun {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  job!: string;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null = null;
}
