import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Node } from './baseEntity';
import { badField } from './errors';
import { fromGlobalId } from './ids';

/** How to read one kind of node for `node(id)`: returns null when missing, throws FORBIDDEN when not allowed. */
type NodeReader = (ctx: Context, id: string) => Promise<object | null>;
const readers = new Map<string, NodeReader>();

/** Each module declares how its types are read by ID, through the same policies as every other path. */
export function registerNode(type: string, reader: NodeReader): void {
  readers.set(type, reader);
}

export async function readNode(ctx: Context, globalId: string): Promise<object | null> {
  const decoded = fromGlobalId(globalId);
  const reader = decoded && readers.get(decoded.type);
  if (!decoded || !reader) return null;
  return reader(ctx, decoded.id);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when it does not exist' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    return readNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'Several objects by global ID, in order; a missing one is null, a forbidden one is null with an error',
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<object | null>[] {
    if (ids.length > 100) throw badIds();
    return ids.map((id) => readNode(ctx, id));
  }
}

const badIds = () => badField('ids', 'at most 100 IDs at once');
