import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../../shared/pagination';
import { NoControlCharacters } from '../../../shared/validation';
import { SurveyStatus } from './survey.entity';
import { SurveyQuestionKind } from './surveyQuestion.entity';

export const MAX_QUESTIONS = 50;
export const MAX_OPTIONS = 20;
/** A scale's answers are counted per value: at most this many values (e.g. 0–10 is 11). */
export const MAX_SCALE_VALUES = 101;
export const SCALE_BOUND = 1000;
export const MAX_TEXT_ANSWER = 5000;

@InputType({ description: 'A question: SINGLE and MULTIPLE need options; SCALE needs scaleMin < scaleMax; TEXT takes neither' })
export class SurveyQuestionInput {
  @Field(() => SurveyQuestionKind)
  @IsIn(Object.values(SurveyQuestionKind))
  kind!: SurveyQuestionKind;

  @Field({ description: 'The question (at most 1000 characters)' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 1000)
  @NoControlCharacters()
  prompt!: string;

  @Field(() => [String], { nullable: true, description: `SINGLE and MULTIPLE: 2–${MAX_OPTIONS} distinct choices; not for SCALE or TEXT` })
  @IsOptional()
  @ArrayMaxSize(MAX_OPTIONS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(/\S/, { each: true, message: 'each option must not be blank' })
  @NoControlCharacters({ each: true })
  options?: string[] | null;

  @Field({ defaultValue: false, description: 'Whether every response must answer it' })
  @IsBoolean()
  required!: boolean;

  @Field(() => Int, { nullable: true, description: `SCALE: the lowest answer (−${SCALE_BOUND}…${SCALE_BOUND})` })
  @IsOptional()
  @IsInt()
  scaleMin?: number | null;

  @Field(() => Int, { nullable: true, description: `SCALE: the highest answer, above scaleMin, at most ${MAX_SCALE_VALUES - 1} above it` })
  @IsOptional()
  @IsInt()
  scaleMax?: number | null;
}

@InputType()
export class CreateSurveyInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => ID, { nullable: true, description: "The meeting it gathers feedback on: one of the community's meetings" })
  @IsOptional()
  @IsString()
  meetingId?: string | null;

  @Field({ description: 'At most 200 characters' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 200)
  @NoControlCharacters()
  title!: string;

  @Field(() => [SurveyQuestionInput], { description: `1–${MAX_QUESTIONS} questions, in order` })
  @ArrayMinSize(1, { message: 'must have at least one question' })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  questions!: SurveyQuestionInput[];

  @Field({ defaultValue: false, description: 'Anonymous: no path from an answer to a member, for anyone (results readers and staff included)' })
  @IsBoolean()
  anonymous!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it closes by itself (in the future); omitted: open until closeSurvey' })
  @IsOptional()
  @IsDate()
  closesAt?: Date | null;
}

@InputType({ description: 'The answer to one question: choices (SINGLE: one, MULTIPLE: one or more), scale (SCALE) or text (TEXT)' })
export class SurveyAnswerInput {
  @Field(() => ID)
  @IsString()
  questionId!: string;

  @Field(() => [String], { nullable: true, description: 'SINGLE and MULTIPLE: options of the question, as written' })
  @IsOptional()
  @ArrayMaxSize(MAX_OPTIONS)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  choices?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'SCALE: from scaleMin to scaleMax' })
  @IsOptional()
  @IsInt()
  scale?: number | null;

  @Field(() => String, { nullable: true, description: `TEXT: at most ${MAX_TEXT_ANSWER} characters` })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT_ANSWER)
  @NoControlCharacters()
  text?: string | null;
}

@InputType()
export class RespondToSurveyInput {
  @Field(() => ID)
  @IsString()
  surveyId!: string;

  @Field(() => [SurveyAnswerInput], { description: 'At most one answer per question; required questions must be answered' })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  answers!: SurveyAnswerInput[];
}

@ArgsType()
export class SurveysArgs extends PageArgs {
  @Field(() => SurveyStatus, { nullable: true, description: 'Only OPEN or only CLOSED surveys (as of now)' })
  @IsOptional()
  @IsIn(Object.values(SurveyStatus))
  status?: SurveyStatus | null;
}
