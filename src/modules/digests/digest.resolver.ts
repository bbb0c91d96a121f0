import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { requireMember } from '../../shared/policy';
import { DigestFrequency, EmailPreview } from './digest.types';
import { loadDigests } from './queries/digestContent';
import { renderDigest } from './renderDigest';

@Resolver()
export class DigestResolver {
  @Query(() => EmailPreview, {
    description: "The viewer's own next digest of that frequency, as it would be sent now; sends and records nothing",
  })
  async digestPreview(@Arg('frequency', () => DigestFrequency) frequency: DigestFrequency, @Ctx() ctx: Context): Promise<EmailPreview> {
    const member = requireMember(ctx.actor);
    const [digest] = await loadDigests(ctx.services, ctx.em, { frequency, memberIds: [member.id], until: new Date() });
    const { subject, text, html } = renderDigest(ctx.services.config, digest!);
    return { subject, text, html };
  }
}
