import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { ArrayType, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Thread } from '../../discussions/thread.entity';

/**
 * A habit of a community: a prompt posted as a PROMPT thread at every occurrence of an RRULE read in the ritual's own
 * time zone (see recurrence.ts), by its hosts in turn. `nextOccurrenceAt` is the next occurrence the job will post;
 * the job and pause/update keep it, so "what is due" is one indexed comparison with the clock.
 */
@ObjectType({ implements: Node, description: 'A prompt a community posts on a schedule (an RRULE in its own time zone), hosts taking turns' })
@Entity()
@Index({ name: 'ritual_community_created_index', properties: ['community', 'createdAt', 'id'] })
@Index({ name: 'ritual_due_index', properties: ['nextOccurrenceAt'], where: 'paused = false and next_occurrence_at is not null' })
export class Ritual extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  /** Null when that member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  createdBy: Rel<Member> | null = null;

  @Field({ description: "Each occurrence's thread is titled with it and the occurrence's local date" })
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: "The body of each occurrence's thread" })
  @Property({ type: 'text' })
  prompt!: string;

  @Field({ description: 'The RRULE value (RFC 5545), e.g. FREQ=WEEKLY;BYDAY=MO, without DTSTART: the first occurrence is startsAt' })
  @Property({ type: 'text' })
  rrule!: string;

  @Field(() => GraphQLDateTime, { description: 'The first possible occurrence; its wall time in timeZone is the time of every occurrence' })
  @Property({ type: 'timestamptz', length: 3 })
  startsAt!: Date;

  @Field({ description: 'The IANA time zone the rule is read in (times themselves are UTC)' })
  @Property({ type: 'text' })
  timeZone!: string;

  /** The hosts' memberships in rotation order (occurrence n is hosted by the n-th, modulo their number). */
  @Property({ type: new ArrayType((id) => id), columnType: 'uuid[]' })
  hostMembershipIds: string[] = [];

  /** Where the rotation stands: the index (into hostMembershipIds) of the next occurrence's host. */
  @Property({ type: 'integer', default: 0 })
  nextHostIndex: number = 0;

  @Field({ description: 'A paused ritual posts nothing; unpaused, it resumes at its next future occurrence' })
  @Property({ type: 'boolean', default: false })
  paused: boolean = false;

  /** The next occurrence to post (also while paused or read-only, for the job only); null once the rule has ended. */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  nextOccurrenceAt: Date | null = null;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

export enum RitualOccurrenceStatus {
  POSTED = 'POSTED',
  NO_HOST = 'NO_HOST',
}
registerEnumType(RitualOccurrenceStatus, {
  name: 'RitualOccurrenceStatus',
  description: 'POSTED: its PROMPT thread was posted. NO_HOST: none of the hosts was an ACTIVE member any more, so nothing was posted',
});

/**
 * One occurrence a ritual reached: the claim that makes it happen once. The unique (ritual, occurrence) key is written
 * in the transaction that posts its thread, so no second instance, retry or restart can post it again.
 */
@ObjectType({ implements: Node, description: 'One occurrence of a ritual: when, its PROMPT thread and who hosted it' })
@Entity()
@Unique({ name: 'ritual_occurrence_unique', properties: ['ritual', 'occurrenceAt'] })
export class RitualOccurrence extends BaseEntity {
  @ManyToOne(() => Ritual, { deleteRule: 'cascade' })
  ritual!: Rel<Ritual>;

  @Field(() => GraphQLDateTime, { name: 'at', description: 'The occurrence (UTC)' })
  @Property({ type: 'timestamptz', length: 3 })
  occurrenceAt!: Date;

  @Field(() => RitualOccurrenceStatus)
  @Enum({ items: () => RitualOccurrenceStatus, nativeEnumName: 'ritual_occurrence_status' })
  status!: RitualOccurrenceStatus;

  @ManyToOne(() => Thread, { nullable: true, deleteRule: 'set null' })
  thread: Rel<Thread> | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  host: Rel<Member> | null = null;
}
