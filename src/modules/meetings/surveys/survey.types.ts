import { Field, Float, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../../shared/pagination';
import { Survey } from './survey.entity';
import { SurveyQuestion } from './surveyQuestion.entity';

export const SurveyConnection = connectionType('Survey', Survey);

@ObjectType({ description: 'How many responses chose one option' })
export class SurveyOptionCount {
  @Field()
  option!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'How many responses gave one scale value' })
export class SurveyScaleCount {
  @Field(() => Int)
  value!: number;

  @Field(() => Int)
  count!: number;
}

/**
 * One text answer: its words, and for a non-anonymous survey only, its author. An anonymous survey's answers are read
 * from a table that holds no author, so there is nothing here to leak (`author` is always null for them).
 */
@ObjectType('SurveyTextAnswer', { description: 'A text answer; `author` only for non-anonymous surveys (always null for anonymous ones)' })
export class SurveyTextAnswerView {
  /** Its random id: the cursor (never shown as a field). */
  id!: string;

  @Field()
  text!: string;

  /** The author's member id: non-anonymous surveys only. */
  authorId!: string | null;
}

/** The results of one question; the fields that do not apply to its kind are empty. */
@ObjectType('SurveyQuestionResults', { description: "One question's results: counts per option, a scale's average and distribution, or its text answers" })
export class SurveyQuestionResults {
  @Field(() => SurveyQuestion)
  question!: SurveyQuestion;

  @Field(() => Int, { description: 'How many responses answered it' })
  answerCount!: number;

  @Field(() => [SurveyOptionCount], { description: 'SINGLE and MULTIPLE: every option, in order, with how many chose it; empty otherwise' })
  options!: SurveyOptionCount[];

  @Field(() => Float, { nullable: true, description: 'SCALE: the mean answer; null without answers or for other kinds' })
  average!: number | null;

  @Field(() => [SurveyScaleCount], { description: 'SCALE: every value from scaleMin to scaleMax with how many gave it; empty otherwise' })
  distribution!: SurveyScaleCount[];

  /** Whether its text answers come from the anonymous table (no authors) or the named one. */
  anonymous!: boolean;
}

@ObjectType('SurveyResults', { description: "A survey's results (its LEAD, meeting and event coordinators, and staff)" })
export class SurveyResults {
  @Field(() => Int)
  responseCount!: number;

  @Field(() => [SurveyQuestionResults], { description: 'In question order' })
  questions!: SurveyQuestionResults[];
}

export const SurveyTextAnswerConnection = connectionType('SurveyTextAnswer', SurveyTextAnswerView);
