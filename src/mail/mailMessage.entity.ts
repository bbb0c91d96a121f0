import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A message kept in the local mailbox: with SMTP_URL unset, every mail lands here instead of an SMTP server, so a
 * newcomer reads it at /demo/mail without installing anything.
 */
@Entity({ tableName: 'mail_message' })
@Index({ properties: ['createdAt', 'id'], name: 'mail_message_created_at_index' })
export class MailMessage {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  memberId: string | null = null;

  @Property({ type: 'text', fieldName: 'to' })
  to!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'text' })
  html!: string;

  @Property({ type: 'jsonb', default: '{}' })
  headers: Record<string, string> = {};

  @Property({ type: 'text' })
  category!: string;

  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
