import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Thread } from './thread.entity';

@ObjectType({ implements: Node, description: 'A reply in a thread; deleted posts stay as tombstones without a body' })
@Entity()
// Replies in order, oldest or newest first.
@Index({ properties: ['thread', 'createdAt', 'id'] })
export class Post extends BaseEntity {
  @ManyToOne(() => Thread, { deleteRule: 'cascade' })
  thread!: Rel<Thread>;

  @ManyToOne(() => Member)
  @Index()
  author!: Rel<Member>;

  @ManyToOne(() => Post, { nullable: true, deleteRule: 'set null' })
  @Index()
  parent: Rel<Post> | null = null;

  @Property({ type: 'text' })
  body!: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  editedAt: Date | null = null;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  deletedAt: Date | null = null;

  @ManyToOne(() => Member, { nullable: true })
  @Index()
  deletedBy: Rel<Member> | null = null;

  @Field({ description: 'A deleted post keeps its place in the thread but loses its body' })
  get deleted(): boolean {
    return this.deletedAt !== null;
  }
}
