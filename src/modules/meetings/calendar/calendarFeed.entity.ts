import { Entity, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Member } from '../../members/member.entity';

/**
 * A member's calendar links' version. Every calendar URL given to the member (their feed, a RESTRICTED community's
 * meeting file) is signed with it; resetCalendarFeed bumps it, so every earlier URL stops working at once. No row:
 * version 0 (nobody has reset yet).
 */
@Entity({ tableName: 'calendar_feed' })
export class CalendarFeed {
  @OneToOne({ entity: () => Member, primary: true, owner: true, deleteRule: 'cascade' })
  member!: Rel<Member>;

  @Property({ type: 'integer', default: 0 })
  version: number = 0;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  resetAt: Date | null = null;
}
