import { registerEventKinds } from '../../events/registry';

/** `communityId` null: a webhook for every community. No URL or secret: the outbox is not the place for them. */
type WebhookRef = { communityId: string | null; webhookId: string };

declare module '../../events/registry' {
  interface DomainEvents {
    WebhookCreated: WebhookRef & { events: string[] };
    /** `changed`: which of url, events, enabled the update set. */
    WebhookUpdated: WebhookRef & { changed: string[]; events: string[]; enabled: boolean };
    WebhookDeleted: WebhookRef;
  }
}

// Not live, not themselves webhook event types.
registerEventKinds({
  WebhookCreated: {},
  WebhookUpdated: {},
  WebhookDeleted: {},
});
