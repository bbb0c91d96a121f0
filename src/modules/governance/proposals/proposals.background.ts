import type { JobDefinition, Schedule } from '../../../jobs/queue';
import type { ModuleBackground } from '../../background';
import { ADVANCE_PROPOSALS_JOB, advanceProposals } from './jobs/advanceProposals';
// Who hears of proposals (notifications) and what webhooks say of them: declared with the module's background work.
import './proposal.audiences';
import './proposal.webhooks';

/**
 * PROPOSAL_TIMELINE_CRON (default every minute, in ORG_TIME_ZONE) runs `proposals.advance`, which records reviews
 * that started and deadlines that passed (see advanceProposals); it is safe to run twice or on two instances.
 */
export const proposalsBackground: ModuleBackground = {
  jobs(services): JobDefinition<never>[] {
    const advance: JobDefinition<object> = {
      name: ADVANCE_PROPOSALS_JOB,
      handle: async () => {
        await advanceProposals(services);
      },
      queue: { retryLimit: 2, retryDelay: 10, expireInSeconds: 120 },
      concurrency: 1,
    };
    return [advance] as JobDefinition<never>[];
  },
  schedules(services): Schedule[] {
    return [{ name: ADVANCE_PROPOSALS_JOB, cron: services.config.proposalTimelineCron, tz: services.config.orgTimeZone }];
  },
};
