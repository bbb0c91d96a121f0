import { randomUUID } from 'node:crypto';
import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, PrimaryKeyProp, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Survey } from './survey.entity';
import { SurveyQuestion } from './surveyQuestion.entity';

/*
 * How responses are stored so that, for an anonymous survey, nothing leads from an answer to a member:
 *
 * - who responded (once per member, viewerResponded) is SurveyParticipation: the survey and the member, nothing else:
 *   no id, no timestamp, no reference to any answer;
 * - choices and scale answers are not rows at all but counters (SurveyTally: per question, per option or scale
 *   value), incremented in place, so no row stands for one response;
 * - text answers are SurveyTextAnswer rows: a random UUID, the question, the text; no member, no response id, no
 *   timestamp, no sequence; results list them by that random id, an order that says nothing about when or by whom.
 *
 * Non-anonymous surveys keep their text answers with their author (SurveyNamedTextAnswer) so that the results can name
 * them; their choices and scale answers are counted like an anonymous survey's. What the product cannot help:
 * PostgreSQL's own bookkeeping (a row's xmin transaction id, its physical position, the WAL) is readable by whoever
 * has raw superuser access to the database.
 */

/** That a member responded to a survey: the only record naming the respondent (no answer, no time). */
@Entity()
export class SurveyParticipation {
  [PrimaryKeyProp]?: ['survey', 'member'];

  @ManyToOne(() => Survey, { primary: true, deleteRule: 'cascade' })
  survey!: Rel<Survey>;

  @ManyToOne(() => Member, { primary: true, deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;
}

/**
 * How many responses chose an option (`value`: its index in the question's options) of a SINGLE or MULTIPLE question,
 * or gave a SCALE question the answer `value`. One row per option or scale value, made with the question.
 */
@Entity()
@Check({ name: 'survey_tally_count_check', expression: 'count >= 0' })
export class SurveyTally {
  [PrimaryKeyProp]?: ['question', 'value'];
  [OptionalProps]?: 'count';

  @ManyToOne(() => SurveyQuestion, { primary: true, deleteRule: 'cascade' })
  question!: Rel<SurveyQuestion>;

  @PrimaryKey({ type: 'integer' })
  value!: number;

  @Property({ type: 'integer', default: 0 })
  count: number = 0;
}

/** A text answer of an anonymous survey: its question and its words only (see the note above). */
@Entity()
@Index({ name: 'survey_text_answer_question_index', properties: ['question', 'id'] })
export class SurveyTextAnswer {
  /** Random (v4), never sequential: ordering by it is a shuffle. */
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => SurveyQuestion, { deleteRule: 'cascade' })
  question!: Rel<SurveyQuestion>;

  @Property({ type: 'text' })
  text!: string;
}

/** A text answer of a non-anonymous survey, with who wrote it (null: the member is gone). */
@Entity()
@Index({ name: 'survey_named_text_answer_question_index', properties: ['question', 'id'] })
export class SurveyNamedTextAnswer extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => SurveyQuestion, { deleteRule: 'cascade' })
  question!: Rel<SurveyQuestion>;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  @Index()
  author: Rel<Member> | null = null;

  @Property({ type: 'text' })
  text!: string;
}

export const SURVEY_ENTITIES = [Survey, SurveyQuestion, SurveyParticipation, SurveyTally, SurveyTextAnswer, SurveyNamedTextAnswer];
