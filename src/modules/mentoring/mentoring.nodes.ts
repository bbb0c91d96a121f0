import { registerNode } from '../../shared/nodes';
import { authorizeMentoringRead } from './mentoring.policy';
import { MentorProfile } from './mentorProfile.entity';
import { MentoringGroup } from './mentoringGroup.entity';
import { MentorshipCheckIn, MentorshipPairing } from './mentorshipPairing.entity';

const PRIVATE = 'Mentorships are private to their participants';
const SIGNED_IN_ONLY = 'Mentoring is for signed-in members';

/** `node(id)` for the mentoring types, through the same policies as their fields. */
registerNode('MentorProfile', async (ctx, id) => {
  const profile = await ctx.loaders.byId(MentorProfile).load(id);
  if (profile) await authorizeMentoringRead(ctx.actor, profile, SIGNED_IN_ONLY);
  return profile;
});

registerNode('MentoringGroup', async (ctx, id) => {
  const group = await ctx.loaders.byId(MentoringGroup).load(id);
  if (group) await authorizeMentoringRead(ctx.actor, group, SIGNED_IN_ONLY);
  return group;
});

registerNode('MentorshipPairing', async (ctx, id) => {
  const pairing = await ctx.loaders.byId(MentorshipPairing).load(id);
  if (pairing) await authorizeMentoringRead(ctx.actor, pairing, PRIVATE);
  return pairing;
});

/** A check-in is readable exactly when its pairing is. */
registerNode('MentorshipCheckIn', async (ctx, id) => {
  const checkIn = await ctx.loaders.byId(MentorshipCheckIn).load(id);
  if (!checkIn) return null;
  const pairing = await ctx.loaders.byId(MentorshipPairing).load(checkIn.pairing.id);
  if (pairing) await authorizeMentoringRead(ctx.actor, pairing, PRIVATE);
  return checkIn;
});
