import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { closedBy, isOpenAt, openAtSql, type Closable } from '../../../shared/closing';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Meeting } from '../meeting/meeting.entity';

export enum SurveyStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(SurveyStatus, {
  name: 'SurveyStatus',
  description: 'OPEN takes responses; CLOSED once closed with closeSurvey or from the moment its closesAt passes',
});

/**
 * A community's survey: its questions (SurveyQuestion) and, kept apart from who responded, its answers (see
 * surveyAnswer.entity.ts). Whether it is closed is derived from `closedAt` and `closesAt` at the moment of asking (the
 * same clock for the field, the lists and the response check), so no job has to run for `closesAt` to take effect.
 */
@ObjectType({ implements: Node, description: 'A survey of a community: questions, once-per-member responses, results for its organisers' })
@Entity()
@Index({ name: 'survey_community_index', properties: ['community', 'createdAt', 'id'] })
export class Survey extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'responseCount' | 'closedAt' | 'closedBy' | 'closesAt' | 'createdBy';

  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  /** Null: the member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  createdBy: Rel<Member> | null = null;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'No path in the API (nor a column in the database) leads from an answer to a member' })
  @Property({ type: 'boolean' })
  anonymous!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it closes by itself; null: open until closeSurvey' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  closesAt: Date | null = null;

  /** Set by closeSurvey; a survey whose closesAt passed is closed without it (see closedAt below). */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  closedAt: Date | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  closedBy: Rel<Member> | null = null;

  /** The meeting it gathers feedback on, if any (same community); null when none or that meeting is gone. */
  @ManyToOne(() => Meeting, { nullable: true, deleteRule: 'set null', index: 'survey_meeting_index' })
  meeting: Rel<Meeting> | null = null;

  /** Kept by respondToSurvey under the survey's row lock: one per participation. */
  @Field(() => Int, { description: 'How many members responded' })
  @Property({ type: 'integer', default: 0 })
  responseCount: number = 0;

  /** Closed by closeSurvey, or closing by itself at closesAt (src/shared/closing.ts decides). */
  get closing(): Closable {
    return { closed: this.closedAt !== null, closesAt: this.closesAt };
  }

  /** When it closed, as seen at `now` (closed with closeSurvey, or its closesAt passed); null while open. */
  closedAsOf(now: Date): Date | null {
    // closeSurvey only closes an open survey, so a closedAt is always before any closesAt.
    const by = closedBy(this.closing, now);
    return by === 'HAND' ? this.closedAt : by === 'CLOSING_TIME' ? this.closesAt : null;
  }

  statusAt(now: Date): SurveyStatus {
    return isOpenAt(this.closing, now) ? SurveyStatus.OPEN : SurveyStatus.CLOSED;
  }

  @Field(() => SurveyStatus)
  get status(): SurveyStatus {
    return this.statusAt(new Date());
  }

  @Field(() => GraphQLDateTime, { name: 'closedAt', nullable: true, description: 'When it closed (closeSurvey, or its closesAt); null while open' })
  get effectiveClosedAt(): Date | null {
    return this.closedAsOf(new Date());
  }
}

/** The SQL form of "open at `?`" on a survey row `t` (one parameter: the moment), for lists filtered by status. */
export const OPEN_AT_SQL = openAtSql('t.closed_at is not null', 't.closes_at');
