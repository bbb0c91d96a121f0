import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The recent past of every live stream: what a reconnecting client missed is replayed from here (`since`).
 * Its id is the events' cursor. Rows older than the replay window are pruned.
 */
@Entity({ tableName: 'live_event' })
@Index({ properties: ['threadId', 'id'] })
@Index({ properties: ['communityId', 'id'] })
export class LiveEventRecord {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'uuid', nullable: true })
  threadId: string | null = null;

  @Property({ type: 'uuid' })
  communityId!: string;

  /** The event as published (IDs only). */
  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  @Index()
  createdAt: Date = new Date();
}
