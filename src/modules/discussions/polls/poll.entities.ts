/** The thread polls' entities, for the one list in db/entities.ts. */
export { Poll } from './poll.entity';
export { PollOption } from './pollOption.entity';
export { PollBallot } from './pollBallot.entity';
