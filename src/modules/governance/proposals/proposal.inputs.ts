import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../../shared/pagination';
import { NoControlCharacters, PlainName } from '../../../shared/validation';
import { CommunityVisibility } from '../../communities/community.entity';
import { SLUG_PATTERN } from '../../communities/community.inputs';
import { ProposalDecision, ProposalStatus } from './communityProposal.entity';

type Decorators = PropertyDecorator[];
const apply = (...decorators: Decorators): PropertyDecorator => (target, key) => decorators.forEach((decorate) => decorate(target, key));
const BLANK = { message: 'must not be blank' };

/*
 * proposeCommunity and updateProposal take the same fields, with the same rules: proposing requires the texts,
 * updating takes any of them (omitted: unchanged). Each field's rules are written once below.
 */
function text(min: number, max: number, required: boolean, description?: string): PropertyDecorator {
  return apply(
    Field(() => String, { nullable: !required, description }) as PropertyDecorator,
    ...(required ? [] : [IsOptional()]),
    IsString(),
    Matches(/\S/, BLANK),
    Length(min, max),
    NoControlCharacters(),
  );
}

/** Free text that may be left empty (an empty string clears it). */
function optionalText(max: number, description: string): PropertyDecorator {
  return apply(Field(() => String, { nullable: true, description }) as PropertyDecorator, IsOptional(), IsString(), MaxLength(max), NoControlCharacters());
}

function list(maxItems: number, maxLength: number, required: boolean, description?: string): PropertyDecorator {
  return apply(
    Field(() => [String], { nullable: !required, description, ...(required ? { defaultValue: [] } : {}) }) as PropertyDecorator,
    ...(required ? [] : [IsOptional()]),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    Length(1, maxLength, { each: true }),
    NoControlCharacters({ each: true }),
  );
}

const slug = (required: boolean) =>
  apply(
    Field(() => String, { nullable: !required, description: 'Lower-case letters, digits and single hyphens, 3–60 characters' }) as PropertyDecorator,
    ...(required ? [] : [IsOptional()]),
    IsString(),
    Length(3, 60),
    Matches(SLUG_PATTERN, { message: 'must be lower-case letters and digits separated by single hyphens' }),
  );

const visibility = (required: boolean) =>
  apply(
    Field(() => CommunityVisibility, { nullable: !required, ...(required ? { defaultValue: CommunityVisibility.OPEN } : {}) }) as PropertyDecorator,
    ...(required ? [] : [IsOptional()]),
    IsIn(Object.values(CommunityVisibility)),
  );

const LONG = 5000;
const STANDARDS = 'Standards added to the code of conduct (each up to 1000 characters; standardsRationale required when any)';

@InputType({ description: 'A new community, as its proposer sees it' })
export class ProposeCommunityInput {
  @text(3, 100, true) @PlainName() name!: string;
  @slug(true) slug!: string;
  @text(1, LONG, true) description!: string;
  @list(10, 60, true) topics!: string[];
  @text(1, LONG, true, 'Why the community is needed') statementOfNeed!: string;
  @text(1, LONG, true) plannedActivities!: string;
  @text(1, LONG, true) intendedImpact!: string;
  @text(1, LONG, true, 'How its annual review should decide whether it continues') continuationCriteria!: string;
  @optionalText(LONG, 'Support needed beyond the standard support') resourcesRequested?: string | null;
  @list(20, 1000, true, STANDARDS) additionalStandards!: string[];
  @optionalText(2000, 'Why the additional standards; required when there are any') standardsRationale?: string | null;
  @visibility(true) visibility!: CommunityVisibility;
  @optionalText(2000, 'Why joining needs approval; required when RESTRICTED') membershipRationale?: string | null;
}

@InputType({ description: 'Changes to a SUBMITTED proposal: omitted fields stay as they are; an empty optional text clears it' })
export class UpdateProposalInput {
  @Field(() => ID)
  @IsString()
  proposalId!: string;

  @text(3, 100, false) name?: string | null;
  @slug(false) slug?: string | null;
  @text(1, LONG, false) description?: string | null;
  @list(10, 60, false) topics?: string[] | null;
  @text(1, LONG, false) statementOfNeed?: string | null;
  @text(1, LONG, false) plannedActivities?: string | null;
  @text(1, LONG, false) intendedImpact?: string | null;
  @text(1, LONG, false) continuationCriteria?: string | null;
  @optionalText(LONG, 'Support needed beyond the standard support') resourcesRequested?: string | null;
  @list(20, 1000, false, STANDARDS) additionalStandards?: string[] | null;
  @optionalText(2000, 'Why the additional standards') standardsRationale?: string | null;
  @visibility(false) visibility?: CommunityVisibility | null;
  @optionalText(2000, 'Why joining needs approval') membershipRationale?: string | null;
}

@InputType()
export class DecideProposalInput {
  @Field(() => ID)
  @IsString()
  proposalId!: string;

  @Field(() => ProposalDecision)
  @IsIn(Object.values(ProposalDecision))
  decision!: ProposalDecision;

  @Field(() => String, { nullable: true, description: 'Why; required when declining (the proposer reads it)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @NoControlCharacters()
  note?: string | null;
}

@ArgsType()
export class ProposalsArgs extends PageArgs {
  @Field(() => ProposalStatus, { nullable: true, description: 'Only proposals with this status (as of now)' })
  @IsOptional()
  @IsIn(Object.values(ProposalStatus))
  status?: ProposalStatus | null;
}
