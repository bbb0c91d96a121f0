import type { Em } from '../../../db/orm';
import type { Config } from '../../../config';
import { recordEvent } from '../../../events/record';
import { conflict } from '../../../shared/errors';
import { Community, CommunityVisibility } from '../community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../membership.entity';
import { Member } from '../../members/member.entity';
import { CommunityStandard } from '../../governance/standards/communityStandard.entity';
import { openRoleTerm } from '../../governance/roles/roleTerms';
import { recordAudit } from '../../governance/audit/recordAudit';
import { currentStandardsVersion } from '../../governance/standards/standardsVersion';
import { ensureAnnualMeetings } from '../../meetings/annual/annualMeetings';

export interface FoundCommunityProps {
  name: string;
  slug: string;
  description: string;
  topics: string[];
  visibility: CommunityVisibility;
  /** Already checked by the caller: required when RESTRICTED. */
  membershipRationale: string | null;
  /** Standards added to the code of conduct from the start, all with one rationale. */
  additionalStandards?: string[];
  standardsRationale?: string | null;
  continuationCriteria?: string | null;
  /** Who becomes its first ACTIVE member with the LEAD role (null: nobody yet). */
  leadId: string | null;
  /** What the audit log says led to it, e.g. `{ proposal: <global id> }`. */
  origin?: Record<string, unknown>;
}

export function normaliseTopics(topics: string[]): string[] {
  return [...new Set(topics.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** `<slug>@lists.<the domain of MAIL_FROM>`: the community's mailing list. */
export function mailingListAddress(config: Pick<Config, 'mailFrom'>, slug: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(config.mailFrom)?.[1] ?? 'practicehub.localhost';
  return `${slug}@lists.${domain}`;
}

/**
 * Creates a community with the standard support (listed, a mailing list, a document folder, hosted meetings and
 * announcements allowed), its additional standards, its first LEAD and its coming annual meeting, with the events and audit entry, inside the
 * caller's transaction. The caller has authorised the action; a taken slug is CONFLICT (nothing written).
 */
export async function foundCommunity(em: Em, config: Pick<Config, 'mailFrom' | 'orgTimeZone'>, actorId: string, props: FoundCommunityProps): Promise<Community> {
  if (!em.getTransactionContext()) throw new Error('foundCommunity outside a transaction');
  if (await em.count(Community, { slug: props.slug })) throw conflict(`The slug "${props.slug}" is taken`);
  const community = new Community();
  community.name = props.name.trim();
  community.slug = props.slug;
  community.description = props.description.trim();
  community.topics = normaliseTopics(props.topics);
  community.visibility = props.visibility;
  community.membershipRationale = props.membershipRationale;
  community.continuationCriteria = props.continuationCriteria?.trim() || null;
  community.listed = true;
  community.mailingListAddress = mailingListAddress(config, props.slug);
  community.hostedMeetings = true;
  community.announcements = true;
  em.persist(community);
  const standards = (props.additionalStandards ?? []).map((text) => text.trim()).filter(Boolean);
  for (const text of standards) {
    const standard = new CommunityStandard();
    standard.community = community;
    standard.text = text;
    standard.rationale = props.standardsRationale?.trim() ?? '';
    standard.addedBy = em.getReference(Member, actorId);
    em.persist(standard);
  }
  await recordEvent(em, actorId, { type: 'CommunityCreated', communityId: community.id });
  // The annual meeting rule: a community exists with its coming annual meeting (TENTATIVE), whatever founded it.
  await ensureAnnualMeetings(em, { communityId: community.id, orgTimeZone: config.orgTimeZone });
  if (props.leadId) {
    const membership = new Membership();
    membership.member = em.getReference(Member, props.leadId);
    membership.community = community;
    membership.status = MembershipStatus.ACTIVE;
    membership.roles = [CommunityRole.LEAD];
    membership.joinedAt = new Date();
    membership.acceptedStandardsVersion = await currentStandardsVersion(em, community.id); // its standards were flushed with CommunityCreated
    em.persist(membership);
    openRoleTerm(em, membership, CommunityRole.LEAD, { grantedById: actorId });
    await recordEvent(em, actorId, { type: 'MemberJoined', communityId: community.id, membershipId: membership.id, memberId: props.leadId });
  }
  recordAudit(em, actorId, {
    action: 'community.created',
    subject: { type: 'Community', id: community.id },
    communityId: community.id,
    details: {
      after: { name: community.name, slug: community.slug, visibility: community.visibility, topics: community.topics },
      additionalStandards: standards.length,
      ...props.origin,
    },
  });
  return community;
}
