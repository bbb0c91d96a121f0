import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../shared/pagination';
import { Member } from '../members/member.entity';
import { MentorProfile } from './mentorProfile.entity';
import { MentoringGroup } from './mentoringGroup.entity';
import { MentorshipCheckIn, MentorshipPairing } from './mentorshipPairing.entity';

export enum MentorMatchCriterion {
  TOPICS = 'TOPICS',
  GOALS = 'GOALS',
  COMMUNITIES = 'COMMUNITIES',
  CAPACITY = 'CAPACITY',
}
registerEnumType(MentorMatchCriterion, {
  name: 'MentorMatchCriterion',
  description:
    'TOPICS: shared topics, rare ones counting more (inverse document frequency over mentor profiles). ' +
    "GOALS: share of the goals' key words found in the mentor's bio and topics. " +
    'COMMUNITIES: ACTIVE communities in common (up to 3). CAPACITY: free places as a share of capacity.',
});

@ObjectType({ description: 'How much one criterion added to a match score: weight × value' })
export class MentorMatchContribution {
  @Field(() => MentorMatchCriterion)
  criterion!: MentorMatchCriterion;

  @Field(() => Float, { description: 'The configured weight for this request (all weights sum to 1)' })
  weight!: number;

  @Field(() => Float, { description: 'How well the mentor meets the criterion, 0..1' })
  value!: number;
}

@ObjectType({ description: 'A mentor proposed to the viewer, with the reasons and the arithmetic behind the score' })
export class MentorMatch {
  /** Resolved through the Member loader (one statement for every match). */
  mentorId!: string;

  @Field(() => MentorProfile)
  mentorProfile!: MentorProfile;

  @Field(() => Float, { description: '0..1, the sum of weight × value over `contributions`' })
  score!: number;

  @Field(() => [String], { description: 'Why this mentor, in sentences' })
  reasons!: string[];

  @Field(() => [String], { description: 'Requested topics the mentor offers, rarest first' })
  sharedTopics!: string[];

  @Field(() => [MentorMatchContribution])
  contributions!: MentorMatchContribution[];
}

export const MentorshipPairingConnection = connectionType('MentorshipPairing', MentorshipPairing);
export const MentorshipCheckInConnection = connectionType('MentorshipCheckIn', MentorshipCheckIn);
export const MentoringGroupConnection = connectionType('MentoringGroup', MentoringGroup);
export const MentoringGroupMemberConnection = connectionType('MentoringGroupMember', Member);
