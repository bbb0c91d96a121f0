import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';

/**
 * A member's offer to mentor: topics, how many mentees at once (capacity) and whether they take new ones.
 *
 * `activeMenteeCount` is kept by the pairing commands under a lock on this row, so capacity holds under
 * concurrency and matching filters on plain columns. Two triggers keep derived data that every writer must keep
 * in step (commands, seeds, benchmarks alike):
 * - `match_lexemes`: the stemmed words of bio and topics, which goals are compared with;
 * - `mentor_topic_stat`: how many profiles hold each topic (and, under the empty topic, how many there are), for
 *   the inverse document frequency that makes rare topics count more. Stat rows are updated in topic order, so
 *   concurrent writers never deadlock on them.
 */
@ObjectType({ implements: Node, description: "A member's mentoring offer: topics, capacity and whether they accept mentees" })
@Entity()
// Matching reads only the profiles that can take someone: a partial GIN index over their topics.
@Index({
  name: 'mentor_profile_available_topics_index',
  properties: ['topics'],
  type: 'gin',
  where: 'accepting_mentees and active_mentee_count < capacity',
})
@Check({ name: 'mentor_profile_counts_check', expression: 'capacity >= 0 and active_mentee_count >= 0' })
@Trigger({
  name: 'mentor_profile_lexemes',
  timing: 'before',
  events: ['insert', 'update'],
  body:
    `if tg_op = 'INSERT' or new.bio is distinct from old.bio or new.topics is distinct from old.topics then ` +
    `new.match_lexemes := strip(to_tsvector('english'::regconfig, coalesce(new.bio, '') || ' ' || array_to_string(new.topics, ' '))); ` +
    `end if; return new;`,
})
@Trigger({
  name: 'mentor_profile_topic_stats',
  timing: 'after',
  events: ['insert', 'update', 'delete'],
  body:
    `insert into mentor_topic_stat as s (topic, mentor_count) ` +
    `select d.topic, sum(d.delta)::int from (` +
    `select t as topic, 1 as delta from unnest(case when tg_op = 'DELETE' then '{}'::text[] else array_append(new.topics, '') end) t ` +
    `union all select t, -1 from unnest(case when tg_op = 'INSERT' then '{}'::text[] else array_append(old.topics, '') end) t` +
    `) d group by d.topic having sum(d.delta) <> 0 order by d.topic ` +
    `on conflict (topic) do update set mentor_count = s.mentor_count + excluded.mentor_count; return null;`,
})
export class MentorProfile extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'activeMenteeCount' | 'bio' | 'acceptingMentees';

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Unique()
  member!: Rel<Member>;

  @Field(() => [String], { description: 'Normalised: trimmed, lower-case, single spaces; in the order the mentor gave' })
  @Property({ type: 'text[]' })
  topics!: string[];

  @Field(() => Int, { description: 'How many ACTIVE mentorships the mentor takes at once' })
  @Property({ type: 'integer' })
  capacity!: number;

  @Field(() => Int, { description: 'ACTIVE mentorships now' })
  @Property({ type: 'integer', default: 0 })
  activeMenteeCount: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  bio: string | null = null;

  @Field()
  @Property({ type: 'boolean', default: true })
  acceptingMentees: boolean = true;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Set by the `mentor_profile_lexemes` trigger; never written or read by the application objects. */
  @Property({ type: 'tsvector', nullable: true, lazy: true, hidden: true })
  matchLexemes?: string | null;

  @Field(() => Int, { description: 'Places left: capacity minus ACTIVE mentorships (never below 0)' })
  get freePlaces(): number {
    return Math.max(0, this.capacity - this.activeMenteeCount);
  }
}

/** How many mentor profiles hold a topic; the row for the empty topic counts all profiles. Kept by a trigger. */
@Entity()
export class MentorTopicStat {
  @PrimaryKey({ type: 'text' })
  topic!: string;

  @Property({ type: 'integer' })
  mentorCount!: number;
}
