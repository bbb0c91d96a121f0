import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';
import { Post } from './post.entity';

export enum ThreadKind {
  DISCUSSION = 'DISCUSSION',
  QUESTION = 'QUESTION',
  ANNOUNCEMENT = 'ANNOUNCEMENT',
  PROMPT = 'PROMPT',
  AMA = 'AMA',
}
registerEnumType(ThreadKind, {
  name: 'ThreadKind',
  description: 'QUESTION threads can accept an answer; ANNOUNCEMENT is for leads, monitors and staff; AMA is "Ask Me Anything"',
});

@ObjectType({ implements: Node, description: 'A conversation in a community' })
@Entity()
// The community feed: pinned first, then latest activity (keyset pagination walks this index).
@Index({ properties: ['community', 'pinned', 'lastActivityAt', 'id'] })
export class Thread extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  @ManyToOne(() => Member)
  @Index()
  author!: Rel<Member>;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => ThreadKind)
  @Enum({ items: () => ThreadKind, nativeEnumName: 'thread_kind' })
  kind!: ThreadKind;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  tags: string[] = [];

  @Field()
  @Property({ type: 'boolean', default: false })
  pinned: boolean = false;

  @Field()
  @Property({ type: 'boolean', default: false })
  locked: boolean = false;

  /** Replies that are not deleted; kept by the commands that add and delete posts. */
  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  replyCount: number = 0;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  lastActivityAt: Date = new Date();

  @ManyToOne(() => Post, { nullable: true, deleteRule: 'set null' })
  @Index()
  acceptedAnswer: Rel<Post> | null = null;
}
