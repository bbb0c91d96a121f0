import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { NO_CONTROL_MESSAGE, NoControlCharacters } from '../../shared/validation';
import { ResourceKind } from './resource.entity';
import { MAX_URL_LENGTH, normalizeHttpUrl } from './resourceUrl';
import { MAX_TAG_LENGTH, MAX_TAGS } from './resourceTags';

const NOT_BLANK = { message: 'must not be blank' };

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
  @NoControlCharacters()
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
  @NoControlCharacters()
  description!: string;

  @Field(() => ResourceKind, { defaultValue: ResourceKind.LINK })
  @IsIn(Object.values(ResourceKind))
  kind!: ResourceKind;

  @Field(() => [String], { defaultValue: [], description: `Up to ${MAX_TAGS}, each up to ${MAX_TAG_LENGTH} characters; stored trimmed and lower-case` })
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'each tag must not be blank' })
  @NoControlCharacters({ each: true, message: `each tag ${NO_CONTROL_MESSAGE}` })
  @Length(1, MAX_TAG_LENGTH, { each: true })
  tags!: string[];
}

export enum ResourceOrder {
  NEWEST = 'NEWEST',
  ENDORSEMENTS = 'ENDORSEMENTS',
}
registerEnumType(ResourceOrder, {
  name: 'ResourceOrder',
  description:
    'NEWEST: latest shared first. ENDORSEMENTS: most endorsed first, newest first among equals; endorsements ' +
    'made while a client pages move resources between pages (one may be missed or seen twice), so walk a whole ' +
    'library by NEWEST',
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
  @NoControlCharacters()
  tag?: string | null;

  @Field(() => ResourceKind, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(ResourceKind))
  kind?: ResourceKind | null;
}
