import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { NoControlCharacters, PlainName } from '../../shared/validation';
import { CommunityVisibility } from './community.entity';
import { NotificationPreference } from './membership.entity';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

@InputType()
export class CreateCommunityInput {
  @Field()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(3, 100)
  @NoControlCharacters()
  @PlainName()
  name!: string;

  @Field({ description: 'Lower-case letters, digits and single hyphens, 3–60 characters' })
  @IsString()
  @Length(3, 60)
  @Matches(SLUG_PATTERN, { message: 'must be lower-case letters and digits separated by single hyphens' })
  slug!: string;

  @Field()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 5000)
  @NoControlCharacters()
  description!: string;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @NoControlCharacters({ each: true })
  topics!: string[];

  @Field(() => CommunityVisibility, { defaultValue: CommunityVisibility.OPEN })
  @IsIn(Object.values(CommunityVisibility))
  visibility!: CommunityVisibility;

  @Field(() => String, { nullable: true, description: 'Why joining needs approval; required when RESTRICTED' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  membershipRationale?: string | null;

  @Field({ defaultValue: false, description: 'Also make the creator an ACTIVE member with the LEAD role' })
  joinAsLead!: boolean;
}

@InputType()
export class JoinCommunityInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => NotificationPreference, { defaultValue: NotificationPreference.REALTIME })
  @IsIn(Object.values(NotificationPreference))
  notificationPreference!: NotificationPreference;
}

@InputType()
export class UpdateMembershipInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => NotificationPreference)
  @IsIn(Object.values(NotificationPreference))
  notificationPreference!: NotificationPreference;
}

@ArgsType()
export class CommunitiesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Words to find in the name or description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @NoControlCharacters()
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Only communities with this topic' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  @NoControlCharacters()
  topic?: string | null;
}
