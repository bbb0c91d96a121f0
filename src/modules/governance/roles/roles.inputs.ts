import { ArrayMaxSize, IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { NoControlCharacters } from '../../../shared/validation';
import { CommunityRole } from '../../communities/membership.entity';

@InputType()
export class CommunityRoleInput {
  @Field(() => ID)
  @IsString()
  membershipId!: string;

  @Field(() => CommunityRole)
  @IsIn(Object.values(CommunityRole))
  role!: CommunityRole;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'grantCommunityRole only: when the term ends (in the future); on a role already held, moves the open term’s end',
  })
  @IsOptional()
  @IsDate()
  termEndsAt?: Date | null;
}

@InputType()
export class HandOverRoleInput {
  @Field(() => ID, { description: 'The membership holding the role' })
  @IsString()
  fromMembershipId!: string;

  @Field(() => ID, { description: 'An ACTIVE membership of the same community' })
  @IsString()
  toMembershipId!: string;

  @Field(() => CommunityRole)
  @IsIn(Object.values(CommunityRole))
  role!: CommunityRole;

  @Field(() => String, { nullable: true, description: 'What the holder passes on to their successor' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  note?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the recipient’s term ends (in the future); omitted: no end' })
  @IsOptional()
  @IsDate()
  termEndsAt?: Date | null;
}

@InputType()
export class SetOpenRolesInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field(() => [CommunityRole], { description: 'The roles the community wants filled (replaces the list; empty: none)' })
  @ArrayMaxSize(Object.values(CommunityRole).length * 2)
  @IsIn(Object.values(CommunityRole), { each: true })
  roles!: CommunityRole[];
}

