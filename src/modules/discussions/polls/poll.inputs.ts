import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsDate, IsOptional, IsString, Length, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { NoControlCharacters } from '../../../shared/validation';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
const NOT_BLANK = { message: 'must not be blank' };
const EACH_NOT_BLANK = { each: true, message: 'each option must not be blank' };

/** How option texts are compared for uniqueness: trimmed, NFC, case-insensitive ("Yes" and " yes" are one option). */
export const optionKey = (text: string) => text.trim().normalize('NFC').toLocaleLowerCase('en');

const UniqueOptionTexts = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'uniqueOptionTexts',
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || value.some((v) => typeof v !== 'string') || new Set(value.map((v: string) => optionKey(v))).size === value.length,
        defaultMessage: () => 'must not repeat an option',
      },
    },
    options,
  );

@InputType({ description: 'A poll opened with a thread: 2 to 20 distinct options' })
export class PollInput {
  @Field({ description: 'Up to 300 characters' })
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 300)
  @NoControlCharacters()
  question!: string;

  @Field(() => [String], { description: `${MIN_OPTIONS} to ${MAX_OPTIONS} options, each up to 200 characters, no two alike (ignoring case)` })
  @ArrayMinSize(MIN_OPTIONS, { message: `must have at least ${MIN_OPTIONS} options` })
  @ArrayMaxSize(MAX_OPTIONS, { message: `must have at most ${MAX_OPTIONS} options` })
  @IsString({ each: true })
  @Matches(/\S/, EACH_NOT_BLANK)
  @Length(1, 200, { each: true, message: 'each option must be 1 to 200 characters long' })
  @NoControlCharacters({ each: true })
  @UniqueOptionTexts()
  options!: string[];

  @Field({ defaultValue: false, description: 'Whether a voter may choose several options' })
  @IsBoolean()
  multiple!: boolean;

  @Field({ defaultValue: false, description: 'Whether who voted for what stays hidden (counts only)' })
  @IsBoolean()
  anonymous!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When voting ends (in the future); omitted: no closing time' })
  @IsOptional()
  @IsDate()
  closesAt?: Date | null;
}

@InputType()
export class VotePollInput {
  @Field(() => ID)
  @IsString()
  pollId!: string;

  @Field(() => [ID], { description: "The options chosen: one for a single-choice poll; replaces the viewer's previous votes" })
  @ArrayMinSize(1, { message: 'must choose at least one option' })
  @ArrayMaxSize(MAX_OPTIONS)
  @IsString({ each: true })
  optionIds!: string[];
}
