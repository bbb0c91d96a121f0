import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { NoControlCharacters } from '../../shared/validation';
import { ThreadKind } from './thread.entity';
import { PollInput } from './polls/poll.inputs';

const NOT_BLANK = { message: 'must not be blank' };
/** One emoji, possibly with skin tone, variation selector or ZWJ sequence. */
export const EMOJI_PATTERN = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\p{Regional_Indicator})+$/u;
/** A fully-qualified emoji (the `v` flag, built at runtime so the compile target needs no ES2024 regex support). */
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const PICTOGRAPHIC_START = /^\p{Extended_Pictographic}/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Exactly one emoji: a single grapheme made of emoji code points that is either a recommended (RGI) emoji or starts
 * with a pictograph (text-presentation hearts, emoji newer than this runtime's tables). `EMOJI_PATTERN` alone let
 * through digits, `#` and `*` (they are emoji *components*), lone joiners and several emoji in a row.
 */
export function isSingleEmoji(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const text = value.normalize('NFC');
  if (!text || text.length > 32 || !EMOJI_PATTERN.test(text)) return false;
  if ([...graphemes.segment(text)].length !== 1) return false;
  return RGI_EMOJI.test(text) || PICTOGRAPHIC_START.test(text);
}

const IsSingleEmoji = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isSingleEmoji', validator: { validate: isSingleEmoji, defaultMessage: () => 'must be a single emoji' } }, options);

@InputType()
export class StartThreadInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @NoControlCharacters()
  @Length(1, 200)
  title!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 20_000)
  @NoControlCharacters()
  body!: string;

  @Field(() => ThreadKind, { defaultValue: ThreadKind.DISCUSSION })
  @IsIn(Object.values(ThreadKind))
  kind!: ThreadKind;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  @NoControlCharacters({ each: true })
  tags!: string[];

  @Field(() => PollInput, { nullable: true, description: 'A poll opened with the thread (`Thread.poll`)' })
  @IsOptional()
  @ValidateNested()
  poll?: PollInput | null;
}

@InputType()
export class ReplyInput {
  @Field(() => ID)
  @IsString()
  threadId!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 20_000)
  @NoControlCharacters()
  body!: string;

  @Field(() => ID, { nullable: true, description: 'The post this replies to, in the same thread' })
  @IsOptional()
  @IsString()
  parentPostId?: string | null;
}

@InputType()
export class EditPostInput {
  @Field(() => ID)
  @IsString()
  postId!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 20_000)
  @NoControlCharacters()
  body!: string;
}

@InputType()
export class ReactInput {
  @Field(() => ID)
  @IsString()
  postId!: string;

  @Field({ description: 'A single emoji; reacting again with the same one removes it' })
  @IsString()
  @MaxLength(32)
  @IsSingleEmoji()
  emoji!: string;
}

export enum PostOrder {
  OLDEST_FIRST = 'OLDEST_FIRST',
  NEWEST_FIRST = 'NEWEST_FIRST',
}
registerEnumType(PostOrder, { name: 'PostOrder' });

@ArgsType()
export class PostsArgs extends PageArgs {
  @Field(() => PostOrder, { defaultValue: PostOrder.OLDEST_FIRST })
  @IsIn(Object.values(PostOrder))
  orderBy!: PostOrder;
}
