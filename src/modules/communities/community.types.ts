import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { Community } from './community.entity';
import { Membership } from './membership.entity';

export const CommunityConnection = connectionType('Community', Community);
export const MembershipConnection = connectionType('Membership', Membership);

@ObjectType({ description: 'A member of a community, with their membership (roles, since when)' })
export class CommunityMemberEdge {
  @Field()
  cursor!: string;

  @Field(() => Member)
  node!: Member;

  @Field(() => Membership)
  membership!: Membership;
}

export const CommunityMemberConnection = connectionType('CommunityMember', Member, CommunityMemberEdge);
