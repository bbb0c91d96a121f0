import { ArrayMaxSize, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { EmailNotifications, Member, OrgRole } from './member.entity';
import { IsIanaTimeZone } from './timeZone';
import { NoControlCharacters, PlainName } from '../../shared/validation';

export const PASSWORD_MIN_LENGTH = 10;

@InputType()
export class SignUpInput {
  @Field()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: `At least ${PASSWORD_MIN_LENGTH} characters` })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, 200, { message: `must be between ${PASSWORD_MIN_LENGTH} and 200 characters` })
  password!: string;

  @Field()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 80)
  @NoControlCharacters()
  @PlainName()
  displayName!: string;
}

@InputType()
export class LogInInput {
  @Field()
  @IsString()
  @MaxLength(254)
  @NoControlCharacters()
  email!: string;

  @Field()
  @IsString()
  @MaxLength(200)
  password!: string;
}

@InputType()
export class UpdateProfileInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @Length(1, 80)
  @NoControlCharacters()
  @PlainName()
  displayName?: string;

  @Field(() => String, { nullable: true, description: 'Send an empty string to clear it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  bio?: string | null;

  @Field(() => [String], { nullable: true, description: 'Areas of expertise (at most 20), replacing the current list' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @NoControlCharacters({ each: true })
  expertise?: string[];

  @Field({ nullable: true, description: 'false: appear in "who is here" as a count only' })
  @IsOptional()
  @IsBoolean()
  appearInPresence?: boolean;

  @Field(() => String, { nullable: true, description: "An IANA time zone such as Europe/Oslo; null: the organisation's" })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string | null;

  @Field(() => EmailNotifications, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(EmailNotifications))
  emailNotifications?: EmailNotifications;
}

@InputType()
export class SetOrgRoleInput {
  @Field(() => ID)
  @IsString()
  memberId!: string;

  @Field(() => OrgRole)
  @IsIn(Object.values(OrgRole))
  role!: OrgRole;
}

@ObjectType({ description: 'A signed token (send it as `Authorization: Bearer <token>`) and the member it belongs to' })
export class AuthPayload {
  @Field()
  token!: string;

  @Field(() => Member)
  member!: Member;
}
