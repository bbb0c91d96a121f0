import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Poll } from './poll.entity';

/**
 * One member's votes in one poll: a single row per (poll, member), replaced whole when they vote again. The unique
 * key is what keeps counts exact under concurrent votes by one member (votePoll upserts on it), and a ballot with
 * several options is still one voter. Never a GraphQL type: who voted stays in here (anonymous polls above all).
 */
@Entity()
@Unique({ name: 'poll_ballot_poll_member_unique', properties: ['poll', 'member'] })
export class PollBallot extends BaseEntity {
  @ManyToOne(() => Poll, { deleteRule: 'cascade' })
  poll!: Rel<Poll>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  member!: Rel<Member>;

  /** The chosen PollOption ids (never empty, no repeats, in option order; one for a single-choice poll). */
  @Property({ type: 'text[]' })
  optionIds!: string[];

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
