import { can } from '../../../shared/policy';
import { NOT_READABLE, ref, registerWebhookDescriber, Skipped, type Describe } from '../../webhooks/delivery/payload';
import { Meeting } from './meeting.entity';
import './meeting.policy';

/**
 * The body of MEETING_SCHEDULED and MEETING_UPDATED deliveries (a cancellation is a MEETING_UPDATED with status
 * CANCELLED): the meeting as it is now, read through the webhook owner's rights (a RESTRICTED community's meeting
 * only for an owner who may read it; prepareDelivery has checked the community, this checks the meeting's own rule).
 */
const describeMeeting: Describe = async (ctx, payload) => {
  const meeting = await ctx.loaders.byId(Meeting).load(payload.meetingId as string);
  if (!meeting) return new Skipped('The meeting is gone');
  if (!(await can(ctx.actor, 'read', meeting))) return NOT_READABLE;
  return {
    ...(Array.isArray(payload.changed) ? { changed: payload.changed } : {}),
    meeting: {
      id: meeting.nodeId,
      kind: meeting.kind,
      status: meeting.status,
      title: meeting.title,
      description: meeting.description,
      startsAt: meeting.startsAt?.toISOString() ?? null,
      endsAt: meeting.endsAt?.toISOString() ?? null,
      timeZone: meeting.timeZone,
      url: meeting.url,
      venue: meeting.venue,
      capacity: meeting.capacity,
      reminderMinutesBefore: meeting.reminderMinutesBefore,
      annualYear: meeting.annualYear,
      sequence: meeting.sequence,
      cancelledAt: meeting.cancelledAt?.toISOString() ?? null,
      createdBy: meeting.createdBy ? ref('Member', meeting.createdBy.id) : null,
    },
  };
};

registerWebhookDescriber('MeetingScheduled', describeMeeting);
registerWebhookDescriber('MeetingUpdated', describeMeeting);
registerWebhookDescriber('MeetingCancelled', describeMeeting);
