import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The recent past of every live stream: what a reconnecting client missed is replayed from here (`since`).
 * Each event has a position in its thread's stream and in its community's stream (gapless, in commit order; see
 * LiveStreamRecord), which is the cursor clients see. Rows older than the replay window are pruned.
 */
@Entity({ tableName: 'live_event' })
@Index({ properties: ['threadId', 'threadPosition'] })
@Index({ properties: ['communityId', 'communityPosition'] })
export class LiveEventRecord {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'uuid', nullable: true })
  threadId: string | null = null;

  @Property({ type: 'bigint', nullable: true })
  threadPosition: string | null = null;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'bigint' })
  communityPosition!: string;

  /** The event as published (IDs only). */
  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  @Index()
  createdAt: Date = new Date();
}

/**
 * The last position given out in each stream (`thread:<id>`, `community:<id>`). An event takes the next one by
 * updating this row in the transaction that logs it: the row lock makes the next event of the stream wait until
 * this one has committed, so positions are given out in commit order and a reader that sees position n sees every
 * position below it. Rows are kept when events are pruned, so positions never restart.
 */
@Entity({ tableName: 'live_stream' })
export class LiveStreamRecord {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'bigint' })
  position!: string;
}
