import { randomInt, randomUUID } from 'node:crypto';
import { busCursor, EventQueue, TopicListeners, topicsOf, type EventBus, type EventListener, type LiveEvent, type PublishedEvent } from '../events';
import type { RedisLink } from './link';

interface Envelope {
  /** The publishing instance, which has already delivered the event to its own subscribers. */
  o: string;
  e: PublishedEvent;
}

/** A topic this instance listens to: its Redis subscription is shared by all local listeners. */
interface TopicChannel {
  confirmed: boolean;
  ready: Promise<void>;
  /** Aborted when the last local listener leaves (a subscription still being confirmed stops waiting). */
  stop: AbortController;
}

/**
 * The event bus shared by several API instances through Redis pub/sub.
 *
 * One Redis channel per topic (`<prefix>events:thread:<id>`), not one channel with the topic in the payload:
 * Redis then routes each event only to the instances that follow its topic, so an instance with no followers
 * of a busy thread neither receives nor parses its events, and the subscriber connection's traffic grows with
 * what the instance's clients follow rather than with everything every instance publishes. The price is one
 * PUBLISH per topic (two for most events) and a SUBSCRIBE when a topic gets its first local listener.
 *
 * The publishing instance delivers to its own listeners at once (and ignores its own message when Redis
 * echoes it back): local listeners do not wait for a Redis round trip, and keep receiving local events while
 * Redis is away. Each instance therefore sees its own events in publish order and other instances' events in
 * the order Redis relays them (the event log puts logged events back in order, see realtime/topicFeeds.ts).
 *
 * A message from Redis is parsed once and the same object goes to every local listener of its topic.
 *
 * An event that already has a cursor (from the event log) keeps it. Otherwise the bus makes one on the
 * publishing instance in InProcessEventBus's format, `<time, 9 base-36 digits>.<sequence, base 36>`, with the
 * sequence starting at a random 6-digit base-36 value rather than 0: it keeps its width (so cursors of one
 * instance sort as strings in publish order), and two instances publishing in the same millisecond do not
 * produce the same cursor.
 */
export class RedisEventBus implements EventBus {
  readonly origin = randomUUID();
  private readonly listeners = new TopicListeners();
  private readonly channels = new Map<string, TopicChannel>();
  private readonly channelPrefix: string;
  private sequence = 36 ** 5 + randomInt(0, 36 ** 5);

  constructor(private readonly link: RedisLink) {
    this.channelPrefix = `${link.prefix}events:`;
    link.onMessage(this.channelPrefix, (topic, message) => this.receive(topic, message));
  }

  publish(event: LiveEvent | PublishedEvent): void {
    this.sequence += 1;
    const published: PublishedEvent = 'cursor' in event ? event : { ...event, cursor: busCursor(this.sequence), at: new Date().toISOString() };
    const topics = topicsOf(event);
    for (const topic of topics) this.listeners.emit(topic, published);
    const message = JSON.stringify({ o: this.origin, e: published } satisfies Envelope);
    for (const topic of topics) this.link.publish(this.channelPrefix + topic, message);
  }

  /**
   * Listens at once (events published here or relayed right after are not missed); resolves once Redis
   * confirmed the topic's channel, so that events published on any instance from then on arrive.
   */
  listen(topic: string, listener: EventListener): Promise<void> {
    this.listeners.add(topic, listener);
    let channel = this.channels.get(topic);
    if (!channel) {
      const stop = new AbortController();
      const created: TopicChannel = { confirmed: false, ready: Promise.resolve(), stop };
      created.ready = this.link.retain(this.channelPrefix + topic, stop.signal).then(() => {
        created.confirmed = !stop.signal.aborted;
      });
      this.channels.set(topic, created);
      channel = created;
    }
    return channel.ready;
  }

  unlisten(topic: string, listener: EventListener): void {
    if (!this.listeners.remove(topic, listener)) return;
    const channel = this.channels.get(topic);
    if (!channel) return;
    this.channels.delete(topic);
    channel.confirmed = false;
    channel.stop.abort();
    this.link.release(this.channelPrefix + topic);
  }

  subscribe(topic: string, signal: AbortSignal): AsyncIterable<PublishedEvent> {
    return new EventQueue(this, topic, signal);
  }

  listenerCount(topic: string): number {
    return this.channels.get(topic)?.confirmed ? this.listeners.count(topic) : 0;
  }

  onReconnect(listener: () => void): void {
    this.link.onReconnect(listener);
  }

  private receive(topic: string, message: string): void {
    const envelope = JSON.parse(message) as Envelope;
    if (envelope.o === this.origin) return;
    if (typeof envelope.e?.type !== 'string' || typeof envelope.e.cursor !== 'string') throw new Error('not a live event');
    this.listeners.emit(topic, envelope.e);
  }
}
