import { Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { authorizeSettings } from '../../members/member.resolver';
import { Meeting } from '../meeting/meeting.entity';
import { calendarVersionLoader } from './calendar.loaders';
import { calendarToken } from './calendarTokens';
import { resetCalendarFeed } from './commands/resetCalendarFeed';

@Resolver(() => Meeting)
export class MeetingCalendarResolver {
  @FieldResolver(() => String, {
    description:
      'Its iCalendar file (RFC 5545, one VEVENT with a stable UID and SEQUENCE). An OPEN community\'s is public; a RESTRICTED ' +
      "community's carries a token for the viewer, checked against their rights on every fetch (resetCalendarFeed revokes it)",
  })
  async icsUrl(@Root() meeting: Meeting, @Ctx() ctx: Context): Promise<string> {
    const { config } = ctx.services;
    const url = `${config.publicUrl}/calendar/meetings/${meeting.nodeId}.ics`;
    const community = await ctx.actor.community(meeting.community.id);
    if (!community.isRestricted || !ctx.viewer) return url;
    const version = await calendarVersionLoader(ctx.loaders).load(ctx.viewer.id);
    return `${url}?token=${calendarToken(config, { kind: 'meeting', memberId: ctx.viewer.id, version, meetingId: meeting.id })}`;
  }
}

@Resolver(() => Member)
export class MemberCalendarResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Their calendar feed (iCalendar): the meetings ahead of their communities and those they answered, behind a signed URL ' +
      'that resetCalendarFeed revokes. The member themself only (FORBIDDEN to anyone else)',
  })
  async calendarFeedUrl(@Root() member: Member, @Ctx() ctx: Context): Promise<string> {
    await authorizeSettings(ctx, member);
    const version = await calendarVersionLoader(ctx.loaders).load(member.id);
    return `${ctx.services.config.publicUrl}/calendar/feed/${calendarToken(ctx.services.config, { kind: 'feed', memberId: member.id, version })}.ics`;
  }

  @Mutation(() => Member, { description: "Revokes the viewer's calendar links (their feed URL and meeting files); returns the viewer with new ones" })
  async resetCalendarFeed(@Ctx() ctx: Context): Promise<Member> {
    requireMember(ctx.actor);
    const { member, version } = await resetCalendarFeed(ctx);
    calendarVersionLoader(ctx.loaders).clear(member.id).prime(member.id, version);
    return member;
  }
}
