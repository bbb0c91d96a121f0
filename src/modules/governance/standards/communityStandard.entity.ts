import { Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';

/**
 * A standard a community adds to the organisation's code of conduct. Additions only: nothing in the API edits or
 * removes one, or touches the organisation's code from a community.
 */
@ObjectType({ implements: Node, description: "A community's addition to the organisation's code of conduct, with why" })
@Entity()
@Index({ properties: ['community', 'createdAt'] })
export class CommunityStandard extends BaseEntity {
  @ManyToOne(() => Community, { deleteRule: 'cascade' })
  community!: Rel<Community>;

  @Field()
  @Property({ type: 'text' })
  text!: string;

  @Field()
  @Property({ type: 'text' })
  rationale!: string;

  /** Null: the member is gone. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  addedBy: Rel<Member> | null = null;
}
