import { CommunityTimePollsResolver, TimePollResolver } from './timePoll.resolver';
import { TimePollOptionResolver } from './timePollOption.resolver';

/** The time polls' resolvers, for src/server/schema.ts (one line there). */
export const timePollResolvers = [CommunityTimePollsResolver, TimePollResolver, TimePollOptionResolver] as const;
