import { scopeFor, type Context } from '../../context';
import type { Em } from '../../db/orm';
import { EventQueue, memberTopic } from '../../realtime/events';
import { can } from '../../shared/policy';
import { Member } from '../members/member.entity';
import { Notification } from './notification.entity';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * `notificationAdded`: the viewer's own notifications as they are made, from their `member:<id>` topic. Each push is
 * re-read in a fresh scope (new EntityManager and loaders, the viewer reloaded) and re-checked: still theirs and
 * still readable (a RESTRICTED community they have left sends nothing). Resolves once the topic is listened to, so
 * nothing made after the subscription started is missed.
 */
export async function notificationStream(ctx: Context, viewerId: string): Promise<AsyncIterableIterator<Notification>> {
  const { services } = ctx;
  const stop = new AbortController();
  const topic = memberTopic(viewerId);
  const events = new EventQueue(services.transport, topic, stop.signal);
  await services.transport.listen(topic, events);

  // A dispatch batch that failed after publishing is published again: the same outbox event (cursor) twice.
  const seen = new Set<string>();
  const next = async (): Promise<IteratorResult<Notification, undefined>> => {
    for (;;) {
      const { value: event, done } = await events.next();
      if (done) return DONE;
      if (event.type !== 'NotificationAdded' || event.memberId !== viewerId) continue;
      if (seen.has(event.cursor)) continue;
      seen.add(event.cursor);
      if (seen.size > 1_000) seen.delete(seen.values().next().value!);
      const em = services.orm.em.fork() as Em;
      const viewer = await em.findOne(Member, { id: viewerId });
      if (!viewer) {
        stop.abort();
        return DONE;
      }
      Object.assign(ctx, scopeFor(services, viewer, em, { requestId: ctx.requestId, ip: ctx.ip }), { socket: ctx.socket });
      const notification = await em.findOne(Notification, { id: event.notificationId });
      if (notification && (await can(ctx.actor, 'read', notification))) return { value: notification, done: false };
    }
  };
  const iterator: AsyncIterableIterator<Notification> = {
    async next() {
      try {
        return await next();
      } catch (error) {
        // graphql-js does not call return() when next() rejects: stop listening here.
        stop.abort();
        throw error;
      }
    },
    async return() {
      stop.abort();
      return DONE;
    },
    async throw(error: unknown) {
      stop.abort();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
