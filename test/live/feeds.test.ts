import { randomUUID } from 'node:crypto';
import type { Em } from '../../src/db/orm';
import { logEvent, LoggedEventBus } from '../../src/realtime/eventLog';
import type { FeedFollower } from '../../src/realtime/topicFeeds';
import { InProcessEventBus, threadTopic, type PublishedEvent } from '../../src/realtime/events';
import { eventually } from '../support/live';
import { startTestServer, type TestServer } from '../support/server';

/**
 * A topic's feed hands its followers the stream's events in position order, with no gap: events that arrive out of
 * order, or never arrive (their publisher died after committing, Redis was away), are read from the log.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A transport whose reconnection the test announces, as Redis's would be after an outage. */
class ReconnectingBus extends InProcessEventBus {
  private readonly reconnectListeners: (() => void)[] = [];
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }
  reconnected(): void {
    for (const listener of this.reconnectListeners) listener();
  }
}

class Recorder implements FeedFollower {
  readonly positions: bigint[] = [];
  readonly postIds: string[] = [];
  start(): void {}
  prepare(): Promise<null> {
    return Promise.resolve(null);
  }
  receive(event: PublishedEvent, position: bigint): void {
    this.positions.push(position);
    if ('postId' in event) this.postIds.push(event.postId);
  }
}

async function setUp() {
  const community = await server.factories.community();
  const author = await server.factories.activeMember(community);
  const thread = await server.factories.thread(community, author);
  const transport = new ReconnectingBus();
  const bus = new LoggedEventBus(server.app.services.orm, transport);
  const topic = threadTopic(thread.thread.id);
  const follower = new Recorder();
  bus.follow(topic, follower);
  await eventually(() => bus.listenerCount(topic) === 1);
  const event = () => ({ type: 'PostAdded' as const, threadId: thread.thread.id, communityId: community.community.id, postId: randomUUID() });
  /** Logged (committed) by "another instance" that never publishes it. */
  const loggedElsewhere = async () => {
    const logged = event();
    await logEvent(server.app.services.orm.em.fork() as Em, logged);
    return logged.postId;
  };
  return { bus, transport, topic, follower, event, loggedElsewhere };
}

describe('topic feeds', () => {
  it('read what is missing from the log when a later event arrives first', async () => {
    const { bus, follower, event, loggedElsewhere } = await setUp();
    const lost = [await loggedElsewhere(), await loggedElsewhere()];
    const next = event();
    // Committed and published by this instance (the outbox's live consumer publishes logged events as they are).
    bus.publish(await logEvent(server.app.services.orm.em.fork() as Em, next));
    await eventually(() => follower.postIds.length === 3);
    expect(follower.postIds).toEqual([...lost, next.postId]);
    expect(follower.positions).toEqual([1n, 2n, 3n]);
  });

  it('catch up from the log after the transport reconnects, without waiting for the next event', async () => {
    const { transport, follower, loggedElsewhere } = await setUp();
    const missed = await loggedElsewhere();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(follower.postIds).toEqual([]);
    transport.reconnected();
    await eventually(() => follower.postIds.length === 1);
    expect(follower.postIds).toEqual([missed]);
  });

  it('drop an event that arrives after its position was already handed out', async () => {
    const { bus, transport, topic, follower, loggedElsewhere } = await setUp();
    const first = await loggedElsewhere();
    transport.reconnected();
    await eventually(() => follower.postIds.length === 1);
    // The original publication of the same event arrives late: already handed out from the log.
    const [late] = await bus.replay({ kind: 'thread', id: topic.split(':')[1]! }, 0n);
    transport.publish(late!);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(follower.postIds).toEqual([first]);
  });
});
