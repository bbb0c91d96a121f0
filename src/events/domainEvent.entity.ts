import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The outbox: every state change writes its event here in the same transaction as the change. The dispatcher
 * hands committed rows to the consumers (live delivery, notifications, email, webhooks) and marks them dispatched;
 * rows still undispatched after a crash are picked up by the next instance to look. Dispatched rows are kept (for
 * webhook deliveries and digests that refer to them) and pruned after the retention period.
 */
@Entity({ tableName: 'domain_event' })
export class DomainEventRecord {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Who caused it (null for the system: jobs, schedules). */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  communityId: string | null = null;

  /** The live log row of a live event (its stream positions), written in the same transaction. */
  @Property({ type: 'bigint', nullable: true })
  liveEventId: string | null = null;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  @Index()
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  dispatchedAt: Date | null = null;
}
