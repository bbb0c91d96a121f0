import { Check, Entity, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';

const PROFILE_COLUMN_NAMES = ['id', 'created_at', 'member_id', 'topics', 'capacity', 'active_mentee_count', 'bio', 'accepting_mentees', 'updated_at'];

/** Every profile column the application maps (the trigger-kept lexemes stay in SQL), qualified by `alias` if given. */
export const profileColumns = (alias?: string) => PROFILE_COLUMN_NAMES.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');

/** A select of every profile column the application maps. */
export const PROFILE_COLUMNS = `select ${profileColumns()}`;

/** The matching change log's newest position, as a scalar SQL expression (0 before any change). */
export const MATCH_POSITION_SQL = '(select coalesce(max(position), 0) from mentor_match_counter)';

/** Change-log entries kept for instances catching up; one further behind reloads its whole matching index. */
export const MATCH_CHANGES_KEPT = 10_000;

/**
 * A member's offer to mentor: topics, how many mentees at once (capacity) and whether they take new ones.
 *
 * `activeMenteeCount` is kept by the pairing commands under a lock on this row, so capacity holds under
 * concurrency. Triggers keep derived data that every writer must keep in step (commands, seeds, benchmarks alike):
 * - `match_lexemes`: the stemmed words of bio and topics, which goals are compared with;
 * - `mentor_topic_stat`: how many profiles hold each topic (and, under the empty topic, how many there are), for
 *   the inverse document frequency that makes rare topics count more. Stat rows are updated in topic order, so
 *   concurrent writers never deadlock on them. (A bulk load of many profiles in one transaction should disable
 *   this trigger and count in one statement, as bench/support/matchData.ts does: one transaction updating the
 *   same stat row thousands of times walks an ever longer chain of row versions.)
 * - `mentor_match_change`: every change that matters to matching (topics, lexemes, capacity, mentees, accepting)
 *   gets the next position of the one `mentor_match_counter` row, under that row's lock, so positions follow
 *   commit order; each instance's in-memory matching index (MentorMatchIndex) replays the log from its position.
 */
@ObjectType({ implements: Node, description: "A member's mentoring offer: topics, capacity and whether they accept mentees" })
@Entity()
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
@Trigger({
  name: 'mentor_profile_match_changes',
  timing: 'after',
  events: ['insert', 'update', 'delete'],
  body:
    `if tg_op = 'UPDATE' and (new.member_id, new.topics, new.capacity, new.active_mentee_count, new.accepting_mentees, new.match_lexemes) ` +
    `is not distinct from (old.member_id, old.topics, old.capacity, old.active_mentee_count, old.accepting_mentees, old.match_lexemes) then return null; end if; ` +
    // A missing counter row (deleted by hand) restarts after the log's newest position, never on top of it.
    `with c as (insert into mentor_match_counter as n (id, position) values (1, (select coalesce(max(position), 0) + 1 from mentor_match_change)) ` +
    `on conflict (id) do update set position = n.position + 1 returning n.position), ` +
    `i as (insert into mentor_match_change (position, profile_id) select c.position, case when tg_op = 'DELETE' then old.id else new.id end from c returning position) ` +
    `delete from mentor_match_change where position <= (select i.position - ${MATCH_CHANGES_KEPT} from i); ` +
    `return null;`,
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

/**
 * The log the in-memory matching indexes follow: one row per change of a profile that matters to matching, at the
 * position the counter gave it. Only the newest MATCH_CHANGES_KEPT are kept (the trigger deletes older ones).
 */
@Entity()
export class MentorMatchChange {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  position!: string;

  /** No foreign key: the row outlives a deleted profile, whose deletion it records. */
  @Property({ type: 'uuid' })
  profileId!: string;
}

/** The single row (id 1) whose position numbers mentor_match_change; its lock orders the changes. */
@Entity()
@Check({ name: 'mentor_match_counter_single_row_check', expression: 'id = 1' })
export class MentorMatchCounter {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint' })
  position!: string;
}

/** How many mentor profiles hold a topic; the row for the empty topic counts all profiles. Kept by a trigger. */
@Entity()
export class MentorTopicStat {
  @PrimaryKey({ type: 'text' })
  topic!: string;

  @Property({ type: 'integer' })
  mentorCount!: number;
}
