import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../../server/context';
import { readsOfValue, viewerKey, type EventReads, type SharedGroup, type ViewerTaint } from './eventReads';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

/** Subscribers whose executions can be shared: same document (the parsed AST is shared by query text), operation and variables. */
function groupOf(args: ExecutionArgs): string {
  let id = documentIds.get(args.document);
  if (id === undefined) {
    id = ++lastDocumentId;
    documentIds.set(args.document, id);
  }
  return `${id}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
}

/**
 * graphql-ws's `subscribe`: graphql-js's `subscribe`, except that a live event is executed once per group of
 * subscribers that would get the same result, and every one of them is handed the same ExecutionResult (graphql-ws
 * serialises it for each socket).
 *
 * Who gets the same result: subscribers with the same document, operation and variables, when the execution does
 * not depend on who is asking. That is not guessed from field names: the first execution of a group runs with a
 * scope that notices any read of the viewer's identity (see EventReads.watchedScope), e.g. `viewerReacted`,
 * `viewerMembership`, a member's `email`, a policy that looks at memberships. If nothing was read, the result is
 * every subscriber's; otherwise each viewer gets an execution of their own (shared by their tabs). Rights to the
 * stream itself are checked per viewer before any of this (see Follower), so nobody receives what they may not read.
 */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  return new SharedResults(args, (source as AsyncIterable<unknown>)[Symbol.asyncIterator]());
}

class SharedResults implements AsyncIterableIterator<ExecutionResult> {
  private group: string | null = null;

  constructor(
    private readonly args: ExecutionArgs,
    private readonly source: AsyncIterator<unknown>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    const { value, done } = await this.source.next();
    if (done) return DONE;
    try {
      return { value: await this.resultFor(value), done: false };
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

  private resultFor(root: unknown): ExecutionResult | Promise<ExecutionResult> {
    const reads = readsOfValue(root);
    if (!reads) return execute({ ...this.args, rootValue: root });
    this.group ??= groupOf(this.args);
    let group = reads.groups.get(this.group);
    if (!group) {
      group = { first: this.watchedExecution(reads, root), perViewer: null };
      reads.groups.set(this.group, group);
    }
    return this.fromGroup(group, reads, root);
  }

  private async fromGroup(group: SharedGroup, reads: EventReads, root: unknown): Promise<ExecutionResult> {
    const first = await group.first;
    const ctx = this.args.contextValue as Context;
    const viewer = viewerKey(ctx.viewer);
    if (!first.dependent || first.viewerKey === viewer) return first.result;
    group.perViewer ??= new Map();
    let result = group.perViewer.get(viewer);
    if (!result) {
      result = Promise.resolve(execute({ ...this.args, rootValue: root, contextValue: reads.scope(ctx.viewer, { requestId: ctx.requestId, ip: ctx.ip }) }));
      group.perViewer.set(viewer, result);
    }
    return result;
  }

  private async watchedExecution(reads: EventReads, root: unknown) {
    const ctx = this.args.contextValue as Context;
    const taint: ViewerTaint = { dependent: false };
    const result = await execute({ ...this.args, rootValue: root, contextValue: reads.watchedScope(ctx, taint) });
    return { result, dependent: taint.dependent, viewerKey: viewerKey(ctx.viewer) };
  }
}
