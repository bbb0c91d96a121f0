import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Community } from '../communities/community.entity';

export enum ResourceKind {
  LINK = 'LINK',
  DOCUMENT = 'DOCUMENT',
  VIDEO = 'VIDEO',
  TOOL = 'TOOL',
  OTHER = 'OTHER',
}
registerEnumType(ResourceKind, { name: 'ResourceKind', description: 'What a shared resource is, so clients can show it right' });

@ObjectType({ implements: Node, description: 'A link, document, video or tool a member shared with a community' })
@Entity()
// Community.resources, newest first and most endorsed first; keyset pagination walks these (removed ones excluded).
@Index({ properties: ['community', 'createdAt', 'id'], where: 'removed_at is null', name: 'resource_newest_index' })
@Index({ properties: ['community', 'endorsementCount', 'createdAt', 'id'], where: 'removed_at is null', name: 'resource_endorsed_index' })
export class Resource extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  @ManyToOne(() => Member)
  @Index()
  sharedBy!: Rel<Member>;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  /** Always an absolute http(s) URL, normalised by `new URL`. */
  @Field()
  @Property({ type: 'text' })
  url!: string;

  @Field()
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => ResourceKind)
  @Enum({ items: () => ResourceKind, nativeEnumName: 'resource_kind' })
  kind!: ResourceKind;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  tags: string[] = [];

  /** Kept by endorseResource inside its transaction (re-counted under a row lock), so it can be ordered and indexed. */
  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  endorsementCount: number = 0;

  /** Soft delete: removed resources leave lists, search and node(id). */
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  removedAt: Date | null = null;

  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  @Index()
  removedBy: Rel<Member> | null = null;

  get removed(): boolean {
    return this.removedAt !== null;
  }
}
