import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Post } from './post.entity';

/** One member's emoji on one post; `react` toggles it. */
@Entity()
@Unique({ properties: ['post', 'member', 'emoji'] })
export class Reaction extends BaseEntity {
  @ManyToOne(() => Post, { deleteRule: 'cascade' })
  post!: Rel<Post>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;

  @Property({ type: 'text' })
  emoji!: string;
}
