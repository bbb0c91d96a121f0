import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';
import { TimePollVote } from './timePollVote.entity';

/** The time polls' entities, for src/db/entities.ts (one line there). */
export const timePollEntities = [TimePoll, TimePollOption, TimePollVote];
