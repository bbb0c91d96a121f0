import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../shared/baseEntity';

export enum CommunityVisibility {
  OPEN = 'OPEN',
  RESTRICTED = 'RESTRICTED',
}
registerEnumType(CommunityVisibility, {
  name: 'CommunityVisibility',
  description: 'OPEN: anyone may read and any member may join. RESTRICTED: joining needs approval and content is for members only.',
});

export enum CommunityStatus {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(CommunityStatus, { name: 'CommunityStatus' });

@ObjectType({ implements: Node, description: 'A community of practice: a topic group with members, discussion and resources' })
@Entity()
export class Community extends BaseEntity {
  @Field()
  @Property({ type: 'text' })
  @Unique()
  slug!: string;

  @Field()
  @Property({ type: 'text' })
  @Index()
  name!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  @Index({ type: 'gin' })
  topics: string[] = [];

  @Field(() => CommunityVisibility)
  @Enum({ items: () => CommunityVisibility, nativeEnumName: 'community_visibility', default: CommunityVisibility.OPEN })
  visibility: CommunityVisibility = CommunityVisibility.OPEN;

  /** Why membership is restricted; required when RESTRICTED. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  membershipRationale: string | null = null;

  @Field(() => CommunityStatus)
  @Enum({ items: () => CommunityStatus, nativeEnumName: 'community_status', default: CommunityStatus.ACTIVE })
  status: CommunityStatus = CommunityStatus.ACTIVE;

  get isRestricted(): boolean {
    return this.visibility === CommunityVisibility.RESTRICTED;
  }
}
