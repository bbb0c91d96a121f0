import { connectionType } from '../../../shared/pagination';
import { Meeting } from './meeting.entity';

export const MeetingConnection = connectionType('Meeting', Meeting);
