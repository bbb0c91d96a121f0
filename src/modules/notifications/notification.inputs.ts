import { ArrayMaxSize, IsBoolean, IsOptional, IsString } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only notifications not yet read' })
  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean | null;
}

@InputType({ description: 'Either `ids` (at most 100 of the viewer\'s notifications) or `all: true` (every unread one)' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  all?: boolean | null;
}
