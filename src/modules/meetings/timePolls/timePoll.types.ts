import { connectionType } from '../../../shared/pagination';
import { TimePoll } from './timePoll.entity';

export const TimePollConnection = connectionType('TimePoll', TimePoll);
