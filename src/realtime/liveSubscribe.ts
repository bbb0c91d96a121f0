import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { Follower } from './follower';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * graphql-ws's `subscribe`. Thread and community streams return their Follower, which writes its results to the
 * socket itself once graphql-ws hands it over (see Follower.sendTo and realtime/ws.ts); other subscriptions
 * (presence) are executed per event as graphql-js's `subscribe` would.
 */
export async function liveSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | Follower | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (source instanceof Follower) return source;
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  return new ExecutedEach(args, (source as AsyncIterable<unknown>)[Symbol.asyncIterator]());
}

/** Each value of a source stream, executed (graphql-js's mapSourceToResponse). */
class ExecutedEach implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly args: ExecutionArgs,
    private readonly source: AsyncIterator<unknown>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    const { value, done } = await this.source.next();
    if (done) return DONE;
    try {
      return { value: await execute({ ...this.args, rootValue: value }), done: false };
    } catch (error) {
      await this.source.return?.().catch(() => undefined);
      throw error;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    await this.source.return?.();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
