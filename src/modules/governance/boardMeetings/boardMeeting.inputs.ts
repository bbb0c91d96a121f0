import { IsBoolean, IsDate, IsOptional } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../../shared/pagination';

@InputType()
export class ScheduleBoardMeetingInput {
  @Field(() => GraphQLDateTime, { description: 'When it starts; in the future' })
  @IsDate()
  startsAt!: Date;
}

@ArgsType()
export class BoardMeetingsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'true: only meetings that have not started yet' })
  @IsOptional()
  @IsBoolean()
  upcoming?: boolean | null;
}
