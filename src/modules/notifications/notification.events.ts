import { registerEventKinds } from '../../events/registry';
import { memberTopic } from '../../realtime/events';

declare module '../../events/registry' {
  interface DomainEvents {
    /** A notification was made for a member: pushed to their `notificationAdded` subscriptions. No communityId: private. */
    NotificationAdded: { memberId: string; notificationId: string };
    /** A member marked notifications read (all of their unread ones, or these). */
    NotificationsRead: { memberId: string; all: boolean; notificationIds: string[]; count: number };
  }
}

registerEventKinds({ NotificationAdded: { memberTopics: (event) => [memberTopic(event.memberId)] }, NotificationsRead: {} });
