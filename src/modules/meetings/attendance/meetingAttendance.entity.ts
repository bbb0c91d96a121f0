import { Entity, Index, ManyToOne, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Meeting } from '../meeting/meeting.entity';

/**
 * One member who attended one held meeting, as its organisers recorded it (recordAttendance replaces the set). Kept
 * apart from the answers: who said they would come and who came are different facts, and health counts the second.
 */
@Entity()
@Unique({ name: 'meeting_attendance_member_unique', properties: ['meeting', 'member'] })
@Index({ name: 'meeting_attendance_page_index', properties: ['meeting', 'createdAt', 'id'] })
export class MeetingAttendance extends BaseEntity {
  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;
}
