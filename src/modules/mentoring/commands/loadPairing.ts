import type { CommandScope } from '../../../context';
import { notFound } from '../../../shared/errors';
import { MentorshipPairing } from '../mentorshipPairing.entity';

/** Props of the commands that act on one pairing. */
export interface PairingProps {
  pairingId: string;
}

/** A pairing by database ID (batched), NOT_FOUND when missing. Callers authorise before acting on it. */
export async function loadPairing(scope: CommandScope, pairingId: string): Promise<MentorshipPairing> {
  const pairing = await scope.loaders.byId(MentorshipPairing).load(pairingId);
  if (!pairing) throw notFound('Mentorship');
  return pairing;
}
