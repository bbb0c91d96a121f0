import type { Context } from '../../../context';
import { notFound } from '../../../shared/errors';
import { MentorshipPairing } from '../mentorshipPairing.entity';

/** A pairing by database ID (batched), NOT_FOUND when missing. Callers authorise before acting on it. */
export async function loadPairing(ctx: Context, pairingId: string): Promise<MentorshipPairing> {
  const pairing = await ctx.loaders.byId(MentorshipPairing).load(pairingId);
  if (!pairing) throw notFound('Mentorship');
  return pairing;
}
