import { IsString, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NoControlCharacters } from '../../../shared/validation';
import { STANDARDS_VERSION_PATTERN } from './standardsVersion';

export const MAX_CODE_LENGTH = 20_000;
export const MAX_STANDARD_LENGTH = 1000;
export const MAX_RATIONALE_LENGTH = 2000;

@InputType()
export class PublishCodeOfConductInput {
  @Field({ description: `The whole new text (at most ${MAX_CODE_LENGTH} characters); earlier versions are kept` })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, MAX_CODE_LENGTH)
  @NoControlCharacters()
  body!: string;
}

@InputType()
export class AddCommunityStandardInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field({ description: `The standard (at most ${MAX_STANDARD_LENGTH} characters)` })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, MAX_STANDARD_LENGTH)
  @NoControlCharacters()
  text!: string;

  @Field({ description: `Why the community adds it (at most ${MAX_RATIONALE_LENGTH} characters)` })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, MAX_RATIONALE_LENGTH)
  @NoControlCharacters()
  rationale!: string;
}

@InputType()
export class AcceptCommunityStandardsInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field({ description: 'The CommunityStandards.version the member read; anything but the current one is CONFLICT' })
  @IsString()
  @MaxLength(30)
  @Matches(STANDARDS_VERSION_PATTERN, { message: 'must be a standards version such as "1.2"' })
  version!: string;
}
