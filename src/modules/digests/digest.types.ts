import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum DigestFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}
registerEnumType(DigestFrequency, { name: 'DigestFrequency', description: 'Which digest: DAILY_DIGEST or WEEKLY_DIGEST memberships' });

@ObjectType({ description: 'An email as it would be sent now (nothing is sent or recorded)' })
export class EmailPreview {
  @Field()
  subject!: string;

  @Field()
  text!: string;

  @Field()
  html!: string;
}
