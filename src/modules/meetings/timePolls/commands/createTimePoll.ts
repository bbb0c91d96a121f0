import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badUserInput } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Community } from '../../../communities/community.entity';
import { lockWritableCommunity } from '../../../communities/commands/lockWritableCommunity';
import { Member } from '../../../members/member.entity';
import { TimePoll } from '../timePoll.entity';
import { TimePollOption } from '../timePollOption.entity';
import { CREATE_REFUSAL } from '../timePoll.policy';
import { checkTimePollPlan, type OptionPlan } from '../timePollPlan';

export interface CreateTimePollProps {
  communityId: string;
  title: string;
  options: OptionPlan[];
  closesAt: Date;
  /** Default: the creator's time zone, else the organisation's. */
  timeZone?: string | null;
  /** The instant the rules are checked at (tests and the seed); default now. */
  now?: Date;
}

/**
 * A community's organiser (meeting or event coordinator, LEAD, staff) asks its members which of 2–20 times suits
 * them. Every problem with the times is reported at once (BAD_USER_INPUT, nothing written).
 */
export async function createTimePoll(scope: CommandScope, props: CreateTimePollProps): Promise<TimePoll> {
  const member = requireMember(scope.actor);
  const community = await scope.actor.community(props.communityId);
  await authorize(scope.actor, 'scheduleMeetings', community, CREATE_REFUSAL);
  const errors = checkTimePollPlan(props, props.now ?? new Date());
  if (errors.length) throw badUserInput(errors);

  return scope.em.transactional(async (em) => {
    // A retirement that committed since the check above wins: no new polls in a read-only community.
    await lockWritableCommunity(em, community.id);
    const poll = new TimePoll();
    poll.community = em.getReference(Community, community.id);
    poll.createdBy = em.getReference(Member, member.id);
    poll.title = props.title.trim();
    poll.timeZone = props.timeZone ?? member.timeZone ?? scope.services.config.orgTimeZone;
    poll.closesAt = props.closesAt;
    em.persist(poll);
    const options = props.options.map((plan, position) => {
      const option = new TimePollOption();
      option.poll = poll;
      option.startsAt = plan.startsAt;
      option.durationMinutes = plan.durationMinutes;
      option.position = position;
      em.persist(option);
      return option;
    });
    await recordEvent(em, member.id, {
      type: 'TimePollCreated',
      communityId: community.id,
      pollId: poll.id,
      optionIds: options.map((o) => o.id),
      closesAt: poll.closesAt.toISOString(),
    });
    return poll;
  });
}
