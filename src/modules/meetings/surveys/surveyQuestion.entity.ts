import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Survey } from './survey.entity';

export enum SurveyQuestionKind {
  SCALE = 'SCALE',
  SINGLE = 'SINGLE',
  MULTIPLE = 'MULTIPLE',
  TEXT = 'TEXT',
}
registerEnumType(SurveyQuestionKind, {
  name: 'SurveyQuestionKind',
  description: 'SCALE: a whole number from scaleMin to scaleMax. SINGLE: one of the options. MULTIPLE: one or more options. TEXT: free text',
});

/** One question of a survey, in its place; fixed once the survey is created (responses are checked against it). */
@ObjectType({ implements: Node, description: 'A question of a survey' })
@Entity()
@Unique({ name: 'survey_question_position_unique', properties: ['survey', 'position'] })
@Check({ name: 'survey_question_answer_count_check', expression: 'answer_count >= 0' })
export class SurveyQuestion extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'answerCount' | 'options' | 'scaleMin' | 'scaleMax';

  @ManyToOne(() => Survey, { deleteRule: 'cascade' })
  survey!: Rel<Survey>;

  /** 0-based, the order of the createSurvey input. */
  @Field(() => Int, { description: 'Its place in the survey, from 0' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => SurveyQuestionKind)
  @Enum({ items: () => SurveyQuestionKind, nativeEnumName: 'survey_question_kind' })
  kind!: SurveyQuestionKind;

  @Field()
  @Property({ type: 'text' })
  prompt!: string;

  @Field(() => [String], { description: 'The choices of a SINGLE or MULTIPLE question; empty for SCALE and TEXT' })
  @Property({ type: 'text[]', default: [] })
  options: string[] = [];

  @Field({ description: 'Whether a response must answer it' })
  @Property({ type: 'boolean' })
  required!: boolean;

  @Field(() => Int, { nullable: true, description: 'SCALE: the lowest answer' })
  @Property({ type: 'integer', nullable: true })
  scaleMin: number | null = null;

  @Field(() => Int, { nullable: true, description: 'SCALE: the highest answer' })
  @Property({ type: 'integer', nullable: true })
  scaleMax: number | null = null;

  /** How many responses answered it (kept by respondToSurvey under the survey's lock); shown in the results. */
  @Property({ type: 'integer', default: 0 })
  answerCount: number = 0;

  get choosesOptions(): boolean {
    return this.kind === SurveyQuestionKind.SINGLE || this.kind === SurveyQuestionKind.MULTIPLE;
  }
}
