import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../shared/ids';
import { authorize, can } from '../../shared/policy';
import { EmailNotifications, Member } from './member.entity';
import './member.policy';
import { AuthPayload, LogInInput, SetOrgRoleInput, SignUpInput, UpdateProfileInput } from './member.inputs';
import { logIn } from './commands/logIn';
import { authorizeSetOrgRole, setOrgRole } from './commands/setOrgRole';
import { signUp } from './commands/signUp';
import { updateProfile } from './commands/updateProfile';

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, { nullable: true, description: 'The signed-in member, or null when anonymous' })
  viewer(@Ctx() ctx: Context): Member | null {
    return ctx.viewer;
  }

  @Mutation(() => AuthPayload)
  async signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    const payload = await signUp(ctx, { email: input.email, password: input.password, displayName: input.displayName, ip: ctx.ip });
    ctx.authenticatedMemberId = payload.member.id;
    return payload;
  }

  @Mutation(() => AuthPayload)
  async logIn(@Arg('input') input: LogInInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    const payload = await logIn(ctx, { email: input.email, password: input.password, ip: ctx.ip });
    ctx.authenticatedMemberId = payload.member.id;
    return payload;
  }

  @Mutation(() => Member, { description: "The viewer's own profile" })
  updateProfile(@Arg('input') input: UpdateProfileInput, @Ctx() ctx: Context): Promise<Member> {
    return updateProfile(ctx, input);
  }

  @Mutation(() => Member, { description: 'Staff only' })
  async setOrgRole(@Arg('input') input: SetOrgRoleInput, @Ctx() ctx: Context): Promise<Member> {
    await authorizeSetOrgRole(ctx);
    return setOrgRole(ctx, { memberId: parseId(input.memberId, 'Member', 'memberId'), role: input.role });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Visible to the member themself and to staff only' })
  async email(@Root() member: Member, @Ctx() ctx: Context): Promise<string | null> {
    // Right after signUp/logIn the request is still anonymous, but the member has just proved who they are.
    const allowed = ctx.authenticatedMemberId === member.id || (await can(ctx.actor, 'readEmail', member));
    return allowed ? member.email : null;
  }

  @FieldResolver(() => String, {
    description: "IANA time zone for the times shown to them (the organisation's unless they chose one). The member themself only (FORBIDDEN to anyone else)",
  })
  async timeZone(@Root() member: Member, @Ctx() ctx: Context): Promise<string> {
    await authorizeSettings(ctx, member);
    return member.timeZone ?? ctx.services.config.orgTimeZone;
  }

  @FieldResolver(() => EmailNotifications, { description: 'Whether direct notifications are emailed. The member themself only (FORBIDDEN to anyone else)' })
  async emailNotifications(@Root() member: Member, @Ctx() ctx: Context): Promise<EmailNotifications> {
    await authorizeSettings(ctx, member);
    return member.emailNotifications;
  }
}

/** The member's own settings and inbox; right after signUp/logIn the request is anonymous but the member proved who they are. */
export async function authorizeSettings(ctx: Context, member: Member): Promise<void> {
  if (ctx.authenticatedMemberId === member.id) return;
  await authorize(ctx.actor, 'readSettings', member, 'Only the member themself can see this');
}
