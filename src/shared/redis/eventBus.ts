import { randomInt, randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { topicsOf, type EventBus, type LiveEvent, type PublishedEvent } from '../events';
import type { RedisLink } from './link';

interface Envelope {
  /** The publishing instance, which has already delivered the event to its own subscribers. */
  o: string;
  e: PublishedEvent;
}

/**
 * The event bus shared by several API instances through Redis pub/sub.
 *
 * One Redis channel per topic (`<prefix>events:thread:<id>`), not one channel with the topic in the payload:
 * Redis then routes each event only to the instances that follow its topic, so an instance with no followers
 * of a busy thread neither receives nor parses its events, and the subscriber connection's traffic grows with
 * what the instance's clients follow rather than with everything every instance publishes. The price is one
 * PUBLISH per topic (two for most events) and a SUBSCRIBE when a topic gets its first local follower.
 *
 * The publishing instance delivers to its own subscribers at once (and ignores its own message when Redis
 * echoes it back): local followers do not wait for a Redis round trip, and keep receiving local events while
 * Redis is away. Each instance therefore sees its own events in publish order and other instances' events in
 * the order Redis relays them.
 *
 * An event that already has a cursor (from the event log) keeps it. Otherwise the bus makes one on the
 * publishing instance in InProcessEventBus's format, `<time, 9 base-36 digits>.<sequence, base 36>`, with the
 * sequence starting at a random 6-digit base-36 value rather than 0: it keeps its width (so cursors of one
 * instance sort as strings in publish order), and two instances publishing in the same millisecond do not
 * produce the same cursor.
 */
export class RedisEventBus implements EventBus {
  readonly origin = randomUUID();
  private readonly emitter = new EventEmitter();
  /** Local followers per topic whose Redis subscription is in place. */
  private readonly counted = new Map<string, number>();
  private readonly channelPrefix: string;
  private sequence = 36 ** 5 + randomInt(0, 36 ** 5);

  constructor(private readonly link: RedisLink) {
    this.emitter.setMaxListeners(0);
    this.channelPrefix = `${link.prefix}events:`;
    link.onMessage(this.channelPrefix, (topic, message) => this.receive(topic, message));
  }

  publish(event: LiveEvent | PublishedEvent): void {
    this.sequence += 1;
    const published: PublishedEvent =
      'cursor' in event
        ? event
        : { ...event, cursor: `${Date.now().toString(36).padStart(9, '0')}.${this.sequence.toString(36)}`, at: new Date().toISOString() };
    const topics = topicsOf(event);
    for (const topic of topics) this.emitter.emit(topic, published);
    const message = JSON.stringify({ o: this.origin, e: published } satisfies Envelope);
    for (const topic of topics) this.link.publish(this.channelPrefix + topic, message);
  }

  listenerCount(topic: string): number {
    return this.counted.get(topic) ?? 0;
  }

  async *subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent> {
    if (signal.aborted) return;
    const channel = this.channelPrefix + topic;
    let released = false;
    let counted = false;
    // The consumer may stop by aborting without ever resuming this generator: release the channel then too.
    const release = () => {
      if (released) return;
      released = true;
      if (counted) {
        const count = this.counted.get(topic) ?? 1;
        if (count > 1) this.counted.set(topic, count - 1);
        else this.counted.delete(topic);
      }
      this.link.release(channel);
    };
    signal.addEventListener('abort', release, { once: true });
    try {
      // Listen (buffering) at once, so nothing published here or relayed right after the subscription is missed;
      // count the follower only once Redis confirmed the channel, so that a follower counted by listenerCount
      // receives events published on any instance from then on.
      const events = on(this.emitter, topic, { signal });
      await this.link.retain(channel, signal);
      if (signal.aborted) return;
      this.counted.set(topic, (this.counted.get(topic) ?? 0) + 1);
      counted = true;
      for await (const [event] of events) yield event as PublishedEvent;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      signal.removeEventListener('abort', release);
      release();
    }
  }

  private receive(topic: string, message: string): void {
    const envelope = JSON.parse(message) as Envelope;
    if (envelope.o === this.origin) return;
    if (typeof envelope.e?.type !== 'string' || typeof envelope.e.cursor !== 'string') throw new Error('not a live event');
    this.emitter.emit(topic, envelope.e);
  }
}
