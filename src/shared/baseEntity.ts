import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { toGlobalId } from './ids';

/** Every entity is a Relay node: its GraphQL `id` is the opaque global ID, never the database key. */
@InterfaceType('Node', {
  resolveType: (value: object) => value.constructor.name,
  description: 'An object with a global, opaque ID; `node(id)` reads any of them.',
})
export abstract class Node {
  @Field(() => ID, { name: 'id' })
  nodeId!: string;
}

/** Never emitted itself (nothing returns it): its `createdAt` field is inherited by every entity's object type. */
@ObjectType('BaseEntity')
export abstract class BaseEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  get nodeId(): string {
    return toGlobalId(this.constructor.name, this.id);
  }
}
