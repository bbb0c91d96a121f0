import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';

/** A select of every profile column the application maps (the trigger-kept lexemes and signature stay in SQL). */
export const PROFILE_COLUMNS =
  'select id, created_at, member_id, topics, capacity, active_mentee_count, bio, accepting_mentees, updated_at';

/** Bits of a profile's lexeme signature (a one-hash Bloom filter, see MentorMatchEntry). */
export const SIGNATURE_BITS = 2048;

/** The signature bit of a lexeme, in SQL: the first 32 bits of its md5, modulo the signature size (stable forever). */
export const lexemeBitSql = (lexeme: string) => `(('x' || substr(md5(${lexeme}), 1, 8))::bit(32)::int & ${SIGNATURE_BITS - 1})`;

/**
 * A member's offer to mentor: topics, how many mentees at once (capacity) and whether they take new ones.
 *
 * `activeMenteeCount` is kept by the pairing commands under a lock on this row, so capacity holds under
 * concurrency. Triggers keep derived data that every writer must keep in step (commands, seeds, benchmarks alike):
 * - `match_lexemes`: the stemmed words of bio and topics, which goals are compared with, and `match_signature`,
 *   a 2,048-bit Bloom filter of them;
 * - `mentor_topic_stat`: how many profiles hold each topic (and, under the empty topic, how many there are), for
 *   the inverse document frequency that makes rare topics count more. Stat rows are updated in topic order, so
 *   concurrent writers never deadlock on them. (A bulk load of many profiles in one transaction should disable
 *   this trigger and count in one statement, as bench/support/matchData.ts does: one transaction updating the
 *   same stat row thousands of times walks an ever longer chain of row versions.)
 * - `mentor_match_entry`: one row per topic of each available profile (accepting, with a free place), which
 *   matching scans through one covering index.
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
    `new.match_signature := (select coalesce(bit_or(set_bit(repeat('0', ${SIGNATURE_BITS})::bit(${SIGNATURE_BITS}), ${lexemeBitSql('l')}, 1)), ` +
    `repeat('0', ${SIGNATURE_BITS})::bit(${SIGNATURE_BITS})) from unnest(tsvector_to_array(new.match_lexemes)) l); ` +
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
  name: 'mentor_profile_match_entries',
  timing: 'after',
  events: ['insert', 'update', 'delete'],
  body:
    `if tg_op = 'UPDATE' and (new.topics, new.capacity, new.active_mentee_count, new.accepting_mentees, new.match_signature) ` +
    `is not distinct from (old.topics, old.capacity, old.active_mentee_count, old.accepting_mentees, old.match_signature) then return null; end if; ` +
    `if tg_op <> 'INSERT' then delete from mentor_match_entry where profile_id = old.id; end if; ` +
    `if tg_op <> 'DELETE' and new.accepting_mentees and new.active_mentee_count < new.capacity then ` +
    `insert into mentor_match_entry (profile_id, topic, topics, member_id, capacity, free_places, signature) ` +
    `select distinct new.id, t, new.topics, new.member_id, new.capacity, new.capacity - new.active_mentee_count, new.match_signature ` +
    `from unnest(new.topics) t; ` +
    `end if; return null;`,
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

  /** Set by the `mentor_profile_lexemes` trigger, with the lexemes. */
  @Property({ columnType: `bit(${SIGNATURE_BITS})`, type: 'string', nullable: true, lazy: true, hidden: true })
  matchSignature?: string | null;

  @Field(() => Int, { description: 'Places left: capacity minus ACTIVE mentorships (never below 0)' })
  get freePlaces(): number {
    return Math.max(0, this.capacity - this.activeMenteeCount);
  }
}

/**
 * What matching scans: one row per topic of each available profile (accepting, with a free place), kept by the
 * `mentor_profile_match_entries` trigger. The covering index on topic holds everything the first, cheap pass of
 * matching needs (member, capacity, free places, lexeme signature), so that pass is an index-only scan however
 * many profiles share a popular topic; only the best candidates are then read from mentor_profile. The signature
 * is a Bloom filter of the profile's lexemes: a goal lexeme whose bit is unset is surely absent, so counting set
 * bits gives an upper bound of the goals criterion without reading the lexemes.
 */
@Entity()
@Index({
  name: 'mentor_match_entry_topic_index',
  properties: ['topic'],
  include: ['profile', 'topics', 'memberId', 'capacity', 'freePlaces', 'signature'],
})
export class MentorMatchEntry {
  @ManyToOne(() => MentorProfile, { primary: true, deleteRule: 'cascade' })
  profile!: Rel<MentorProfile>;

  @PrimaryKey({ type: 'text' })
  topic!: string;

  /** All the profile's topics, so a profile asked for by several topics is scored from any one of its rows. */
  @Property({ type: 'text[]' })
  topics!: string[];

  @Property({ type: 'uuid' })
  memberId!: string;

  @Property({ type: 'integer' })
  capacity!: number;

  @Property({ type: 'integer' })
  freePlaces!: number;

  @Property({ columnType: `bit(${SIGNATURE_BITS})`, type: 'string' })
  signature!: string;
}

/** How many mentor profiles hold a topic; the row for the empty topic counts all profiles. Kept by a trigger. */
@Entity()
export class MentorTopicStat {
  @PrimaryKey({ type: 'text' })
  topic!: string;

  @Property({ type: 'integer' })
  mentorCount!: number;
}
