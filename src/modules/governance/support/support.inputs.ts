import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../../shared/pagination';
import { NoControlCharacters } from '../../../shared/validation';
import { MONEY_MESSAGE, MONEY_PATTERN } from './money';
import { SupportKind, SupportRequestStatus } from './supportRequest.entity';

@InputType()
export class RequestSupportInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => SupportKind)
  @IsIn(Object.values(SupportKind))
  kind!: SupportKind;

  @Field({ description: 'What the community needs, when and why (at most 5000 characters)' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 5000)
  @NoControlCharacters()
  details!: string;

  @Field({
    description:
      'The estimated cost in the organisation\'s currency as a decimal string: whole units and at most two decimals, ' +
      'not negative, below 10,000,000 (e.g. "0", "250", "1250.50")',
  })
  @IsString()
  @Matches(MONEY_PATTERN, { message: MONEY_MESSAGE })
  estimatedCost!: string;
}

@InputType()
export class DecideSupportRequestInput {
  @Field(() => ID)
  @IsString()
  requestId!: string;

  @Field()
  @IsBoolean()
  approve!: boolean;

  @Field(() => String, { nullable: true, description: 'Why; required when declining (at most 2000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  note?: string | null;
}

@ArgsType()
export class SupportRequestsArgs extends PageArgs {
  @Field(() => SupportRequestStatus, { nullable: true, description: 'Only requests in this status' })
  @IsOptional()
  @IsIn(Object.values(SupportRequestStatus))
  status?: SupportRequestStatus | null;
}
