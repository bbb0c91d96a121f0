import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { ThreadKind } from './thread.entity';

const NOT_BLANK = { message: 'must not be blank' };
/** One emoji, possibly with skin tone, variation selector or ZWJ sequence. */
export const EMOJI_PATTERN = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\p{Regional_Indicator})+$/u;

@InputType()
export class StartThreadInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 200)
  title!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Length(1, 20_000)
  body!: string;

  @Field(() => ThreadKind, { defaultValue: ThreadKind.DISCUSSION })
  @IsIn(Object.values(ThreadKind))
  kind!: ThreadKind;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags!: string[];
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
  @Matches(EMOJI_PATTERN, { message: 'must be a single emoji' })
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
