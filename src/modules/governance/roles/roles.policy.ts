import { allow, can } from '../../../shared/policy';
import type { Community } from '../../communities/community.entity';
import { readOnlyRefusal } from '../../communities/community.policy';
import type { Membership } from '../../communities/membership.entity';

/** A role's holder (through their membership) and its community, as the subject of `handOver`. */
export class HandOver {
  constructor(
    readonly from: Membership,
    readonly community: Community,
  ) {}
}

/**
 * The holder may pass their own role on; a community's LEADs and staff (`manage`) may pass anyone's, e.g. when the
 * holder is away. Whether the role is really held is checked in the transaction (BAD_USER_INPUT, not FORBIDDEN).
 */
allow(HandOver, 'handOver', async (actor, subject) => {
  // A retired community is an archive: its roles stay as they were, whoever asks.
  const refusal = readOnlyRefusal(subject.community);
  return refusal ?? (actor.member?.id === subject.from.member.id || can(actor, 'manage', subject.community));
});
