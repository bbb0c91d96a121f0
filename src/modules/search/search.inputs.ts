import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';

export const MAX_QUERY_LENGTH = 500;

@ArgsType()
export class SearchArgs extends PageArgs {
  @Field({
    description:
      'Words to find (stemmed: "libraries" finds "library"); "quoted phrases", OR, and -word to exclude. Any text is ' +
      `accepted as text; blank is refused; at most ${MAX_QUERY_LENGTH} characters`,
  })
  @IsString()
  @MaxLength(MAX_QUERY_LENGTH)
  query!: string;

  @Field(() => ID, { nullable: true, description: 'Only this community' })
  @IsOptional()
  @IsString()
  communityId?: string | null;
}
