import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * One member's digest for one period (`digest:DAILY:2026-12-02T00:00:00.000-06:00`), claimed before the mail goes
 * out (`mailed` null) and marked once it went (or once there was nothing to send): the unique key makes a retried
 * batch, a second firing or a second instance skip it, and `coveredUntil` (of the rows marked) is where the
 * member's next digest of that frequency starts.
 */
@Entity({ tableName: 'digest_delivery' })
@Unique({ properties: ['memberId', 'periodKey'], name: 'digest_delivery_member_period_unique' })
@Index({ properties: ['memberId', 'frequency', 'coveredUntil'], name: 'digest_delivery_member_frequency_index' })
export class DigestDelivery {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  memberId!: string;

  /** DAILY or WEEKLY. */
  @Property({ type: 'text' })
  frequency!: string;

  @Property({ type: 'text' })
  periodKey!: string;

  @Property({ type: 'timestamptz', length: 3 })
  coveredFrom!: Date;

  @Property({ type: 'timestamptz', length: 3 })
  coveredUntil!: Date;

  /**
   * False when there was nothing new (no email, but the period is done). Null: claimed, being sent (since
   * `createdAt`); not counted as covered until it is mailed.
   */
  @Property({ type: 'boolean', nullable: true })
  mailed: boolean | null = null;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
