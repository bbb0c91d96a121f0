import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';

export enum TimePollAnswer {
  YES = 'YES',
  IF_NEEDED = 'IF_NEEDED',
  NO = 'NO',
}
registerEnumType(TimePollAnswer, { name: 'TimePollAnswer', description: "A member's answer to one option: IF_NEEDED means possible, not preferred" });

/**
 * One member's answer to one option: one row per option and member (a unique key), so answering again replaces it
 * and concurrent answers never count twice.
 */
@Entity()
@Unique({ name: 'time_poll_vote_option_member_unique', properties: ['option', 'member'] })
@Index({ name: 'time_poll_vote_member_index', properties: ['member', 'poll'] })
@Index({ name: 'time_poll_vote_poll_index', properties: ['poll'] })
export class TimePollVote extends BaseEntity {
  @ManyToOne(() => TimePoll, { deleteRule: 'cascade' })
  poll!: Rel<TimePoll>;

  @ManyToOne(() => TimePollOption, { deleteRule: 'cascade' })
  option!: Rel<TimePollOption>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  member!: Rel<Member>;

  @Enum({ items: () => TimePollAnswer, nativeEnumName: 'time_poll_answer' })
  answer!: TimePollAnswer;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  answeredAt: Date = new Date();
}
