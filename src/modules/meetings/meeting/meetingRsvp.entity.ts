import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Meeting } from './meeting.entity';

export enum RsvpStatus {
  GOING = 'GOING',
  INTERESTED = 'INTERESTED',
  NOT_GOING = 'NOT_GOING',
  WAITLISTED = 'WAITLISTED',
}
registerEnumType(RsvpStatus, {
  name: 'RsvpStatus',
  description: 'WAITLISTED: answered GOING when the meeting was full; the earliest waitlisted member gets the next free place',
});

/** One member's answer to one meeting (one row per member and meeting). */
@Entity()
@Unique({ name: 'meeting_rsvp_member_unique', properties: ['meeting', 'member'] })
@Index({ name: 'meeting_rsvp_waitlist_index', properties: ['meeting', 'status', 'answeredAt'] })
export class MeetingRsvp extends BaseEntity {
  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  member!: Rel<Member>;

  @Enum({ items: () => RsvpStatus, nativeEnumName: 'rsvp_status' })
  status!: RsvpStatus;

  /** When the current status was given: the waitlist's order. */
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  answeredAt: Date = new Date();
}
