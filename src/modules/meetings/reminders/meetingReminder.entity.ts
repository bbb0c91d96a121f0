import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../shared/baseEntity';
import { Meeting } from '../meeting/meeting.entity';

/**
 * One reminder of one meeting: due `minutesBefore` its start, sent once (`sentAt`, set by the claim that fans it
 * out). Rows are replaced when the meeting's time or offsets change and deleted when it is cancelled, in the same
 * transaction; each row has one queued job (its id is the job's id) that does nothing once the row is gone, sent or
 * moved. The unique key keeps a sent reminder from being made again for the same start.
 */
@Entity()
@Unique({ name: 'meeting_reminder_unique', properties: ['meeting', 'minutesBefore', 'dueAt'] })
@Index({ name: 'meeting_reminder_unsent_index', properties: ['dueAt'], where: 'sent_at is null' })
export class MeetingReminder extends BaseEntity {
  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @Property({ type: 'integer' })
  minutesBefore!: number;

  @Property({ type: 'timestamptz', length: 3 })
  dueAt!: Date;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  sentAt: Date | null = null;
}
