import type { Em } from '../../../../db/orm';
import { badUserInput, conflict, type FieldError } from '../../../../shared/errors';
import { Community, CommunityVisibility } from '../../../communities/community.entity';
import { normaliseTopics } from '../../../communities/commands/foundCommunity';
import type { CommunityProposal } from '../communityProposal.entity';

/** What a proposer writes: proposeCommunity's input, and what updateProposal may change. */
export interface ProposalFields {
  name: string;
  slug: string;
  description: string;
  topics: string[];
  statementOfNeed: string;
  plannedActivities: string;
  intendedImpact: string;
  continuationCriteria: string;
  resourcesRequested: string | null;
  additionalStandards: string[];
  standardsRationale: string | null;
  visibility: CommunityVisibility;
  membershipRationale: string | null;
}

export const PROPOSAL_FIELDS = [
  'name',
  'slug',
  'description',
  'topics',
  'statementOfNeed',
  'plannedActivities',
  'intendedImpact',
  'continuationCriteria',
  'resourcesRequested',
  'additionalStandards',
  'standardsRationale',
  'visibility',
  'membershipRationale',
] as const satisfies readonly (keyof ProposalFields)[];

const optional = (value: string | null | undefined) => value?.trim() || null;

/** Trimmed texts, normalised topics, standards without blanks or repeats, empty optional texts as null. */
export function normaliseFields(fields: ProposalFields): ProposalFields {
  return {
    ...fields,
    name: fields.name.trim(),
    description: fields.description.trim(),
    topics: normaliseTopics(fields.topics),
    statementOfNeed: fields.statementOfNeed.trim(),
    plannedActivities: fields.plannedActivities.trim(),
    intendedImpact: fields.intendedImpact.trim(),
    continuationCriteria: fields.continuationCriteria.trim(),
    resourcesRequested: optional(fields.resourcesRequested),
    additionalStandards: [...new Set(fields.additionalStandards.map((text) => text.trim()).filter(Boolean))],
    standardsRationale: optional(fields.standardsRationale),
    membershipRationale: optional(fields.membershipRationale),
  };
}

/**
 * The rules across fields: a rationale is required for what needs one (additional standards, restricted
 * membership). Both are reported at once; a rationale given for nothing is kept (harmless, and the proposer may add
 * standards later).
 */
export function checkRationales(fields: ProposalFields): void {
  const errors: FieldError[] = [];
  if (fields.additionalStandards.length && !fields.standardsRationale) {
    errors.push({ field: 'standardsRationale', message: 'is required when the proposal adds standards' });
  }
  if (fields.visibility === CommunityVisibility.RESTRICTED && !fields.membershipRationale) {
    errors.push({ field: 'membershipRationale', message: 'is required when the community is RESTRICTED' });
  }
  if (errors.length) throw badUserInput(errors);
}

/** A slug already used by a community cannot be approved: say so now rather than at the board meeting. */
export async function checkSlugFree(em: Em, slug: string): Promise<void> {
  if (await em.count(Community, { slug })) throw conflict(`The slug "${slug}" is taken by an existing community`);
}

export function fieldsOf(proposal: CommunityProposal): ProposalFields {
  return Object.fromEntries(PROPOSAL_FIELDS.map((key) => [key, proposal[key]])) as unknown as ProposalFields;
}

export function applyFields(proposal: CommunityProposal, fields: ProposalFields): void {
  Object.assign(proposal, Object.fromEntries(PROPOSAL_FIELDS.map((key) => [key, fields[key]])));
}
