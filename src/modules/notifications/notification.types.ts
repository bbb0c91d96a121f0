import { connectionType } from '../../shared/pagination';
import { Notification } from './notification.entity';

export const NotificationConnection = connectionType('Notification', Notification);
