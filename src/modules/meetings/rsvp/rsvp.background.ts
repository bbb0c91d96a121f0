import type { Services } from '../../../context';
import type { EventConsumer } from '../../../events/dispatcher';
import { backgroundEm } from '../../../jobs/backgroundEm';
import type { JobDefinition } from '../../../jobs/queue';
import type { ModuleBackground } from '../../background';
import { WITHDRAW_ANSWERS_JOB, withdrawLeaversAnswers, type WithdrawAnswersData } from './jobs/withdrawLeaversAnswers';

/**
 * The membership-leave hook: leaveCommunity records MemberLeft; this consumer of the log enqueues, in the dispatch
 * transaction, one job per leaver that withdraws their answers to the community's meetings ahead and hands their
 * places to the waitlist. The communities module knows nothing of meetings; a leaver's GOING answer counts until the
 * job has run (normally within the second).
 */
export const rsvpBackground: ModuleBackground = {
  jobs(services: Services): JobDefinition<never>[] {
    const job: JobDefinition<WithdrawAnswersData> = {
      name: WITHDRAW_ANSWERS_JOB,
      queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
      handle: async (data) => {
        await withdrawLeaversAnswers(backgroundEm(services.orm), data);
      },
    };
    return [job as JobDefinition<never>];
  },
  consumers(services: Services): EventConsumer[] {
    return [
      {
        name: 'meetings.answers',
        async consume(em, events) {
          const jobs = events
            .filter((stored) => stored.type === 'MemberLeft')
            .map((stored) => {
              const { communityId, memberId } = stored.event as { communityId: string; memberId: string };
              return { data: { communityId, memberId } };
            });
          await services.jobs.sendMany(WITHDRAW_ANSWERS_JOB, jobs, { em });
        },
      },
    ];
  },
};
