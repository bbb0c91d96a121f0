import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { ResourceKind } from './resource.entity';
import { MAX_URL_LENGTH, normalizeHttpUrl } from './resourceUrl';
import { MAX_TAG_LENGTH, MAX_TAGS } from './resourceTags';

const NOT_BLANK = { message: 'must not be blank' };
// PostgreSQL text cannot hold NUL (the driver fails, the client would get an internal error), and the other control
// characters are never meant in text a member types; tab, line feed and carriage return are ordinary whitespace.
const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const NO_CONTROL_MESSAGE = 'must not contain control characters';

const IsHttpUrl = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: (value: unknown) => normalizeHttpUrl(value) !== null,
        defaultMessage: () => 'must be an absolute http:// or https:// URL',
      },
    },
    options,
  );

@InputType()
export class ShareResourceInput {
  @Field(() => ID)
  @IsString()
  communityId!: string;

  @Field()
  @IsString()
  @Matches(/\S/, NOT_BLANK)
  @Matches(NO_CONTROL, { message: NO_CONTROL_MESSAGE })
  @Length(1, 200)
  title!: string;

  @Field({ description: 'An absolute http:// or https:// URL; stored normalised' })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsHttpUrl()
  url!: string;

  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(5_000)
  @Matches(NO_CONTROL, { message: NO_CONTROL_MESSAGE })
  description!: string;

  @Field(() => ResourceKind, { defaultValue: ResourceKind.LINK })
  @IsIn(Object.values(ResourceKind))
  kind!: ResourceKind;

  @Field(() => [String], { defaultValue: [], description: `Up to ${MAX_TAGS}, each up to ${MAX_TAG_LENGTH} characters; stored trimmed and lower-case` })
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'each tag must not be blank' })
  @Matches(NO_CONTROL, { each: true, message: `each tag ${NO_CONTROL_MESSAGE}` })
  @Length(1, MAX_TAG_LENGTH, { each: true })
  tags!: string[];
}

export enum ResourceOrder {
  NEWEST = 'NEWEST',
  ENDORSEMENTS = 'ENDORSEMENTS',
}
registerEnumType(ResourceOrder, {
  name: 'ResourceOrder',
  description: 'NEWEST: latest shared first. ENDORSEMENTS: most endorsed first, newest first among equals',
});

@ArgsType()
export class ResourcesArgs extends PageArgs {
  @Field(() => ResourceOrder, { defaultValue: ResourceOrder.NEWEST })
  @IsIn(Object.values(ResourceOrder))
  orderBy!: ResourceOrder;

  @Field(() => String, { nullable: true, description: 'Only resources with this tag (compared as stored: trimmed, lower-case)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TAG_LENGTH * 4)
  @Matches(NO_CONTROL, { message: NO_CONTROL_MESSAGE })
  tag?: string | null;

  @Field(() => ResourceKind, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(ResourceKind))
  kind?: ResourceKind | null;
}
