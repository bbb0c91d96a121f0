import { registerEventKinds } from '../../events/registry';
import { memberTopic } from '../../realtime/events';

declare module '../../events/registry' {
  interface DomainEvents {
    /** A notification was made for a member: pushed to their `notificationAdded` subscriptions. No communityId: private. */
    NotificationAdded: { memberId: string; notificationId: string };
  }
}

registerEventKinds({ NotificationAdded: { memberTopics: (event) => [memberTopic(event.memberId)] } });
