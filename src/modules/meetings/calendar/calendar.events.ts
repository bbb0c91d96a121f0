import { registerEventKinds } from '../../../events/registry';

declare module '../../../events/registry' {
  interface DomainEvents {
    /** A member revoked their calendar links (their feed and meeting files); `version` is the new one. */
    CalendarFeedReset: { memberId: string; version: number };
  }
}

registerEventKinds({
  CalendarFeedReset: { communityId: () => null },
});
