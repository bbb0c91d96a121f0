import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from '../../shared/baseEntity';

export enum OrgRole {
  MEMBER = 'MEMBER',
  COUNCIL = 'COUNCIL',
  BOARD = 'BOARD',
  STAFF = 'STAFF',
}
registerEnumType(OrgRole, { name: 'OrgRole', description: "A person's role in the association, not in a community" });

export enum EmailNotifications {
  ALWAYS = 'ALWAYS',
  WHEN_AWAY = 'WHEN_AWAY',
  NEVER = 'NEVER',
}
registerEnumType(EmailNotifications, {
  name: 'EmailNotifications',
  description: 'Whether direct notifications (replies to you, answers, mentoring, membership, roles) are also emailed; WHEN_AWAY: only if still unread after a delay',
});

@ObjectType({ implements: Node, description: 'A person with an account' })
@Entity()
export class Member extends BaseEntity {
  /** As typed at sign-up; shown to the member only. */
  @Property({ type: 'text' })
  email!: string;

  /** Lower-cased email: uniqueness is case-insensitive. */
  @Property({ type: 'text' })
  @Unique()
  emailKey!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field()
  @Property({ type: 'text' })
  displayName!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  bio: string | null = null;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  expertise: string[] = [];

  /** Shown by name in "who is here", or only counted (privacy). */
  @Field({ description: 'Shown by name in presence lists; when false the member is only counted' })
  @Property({ type: 'boolean', default: true })
  appearInPresence: boolean = true;

  @Field(() => OrgRole)
  @Enum({ items: () => OrgRole, nativeEnumName: 'org_role', default: OrgRole.MEMBER })
  orgRole: OrgRole = OrgRole.MEMBER;

  /** An IANA zone for the times shown to them (emails, digests); null: the organisation's (ORG_TIME_ZONE). */
  @Property({ type: 'text', nullable: true })
  timeZone: string | null = null;

  /** Direct notifications by email (community mail follows each membership's notificationPreference). */
  @Enum({ items: () => EmailNotifications, nativeEnumName: 'email_notifications', default: EmailNotifications.WHEN_AWAY })
  emailNotifications: EmailNotifications = EmailNotifications.WHEN_AWAY;
}
