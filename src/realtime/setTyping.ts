import { IsBoolean, IsString } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Context } from '../context';
import { forbidden } from '../shared/errors';
import { parseId } from '../shared/ids';
import { authorize, requireMember } from '../shared/policy';

@InputType()
export class SetTypingInput {
  @Field(() => ID)
  @IsString()
  threadId!: string;

  @Field({ description: 'true while composing (resend every ~10 s); false when sent or abandoned' })
  @IsBoolean()
  typing!: boolean;
}

/** Whoever may reply may show that they are typing; the flag expires by itself. */
export async function setTyping(ctx: Context, input: SetTypingInput): Promise<boolean> {
  const member = requireMember(ctx.actor);
  const threadId = parseId(input.threadId, 'Thread', 'threadId');
  const thread = await ctx.actor.thread(threadId);
  await authorize(ctx.actor, 'read', thread, 'This community is for members only');
  if (thread.locked) throw forbidden('This thread is locked');
  await authorize(ctx.actor, 'reply', thread, 'Only ACTIVE members can reply here');
  ctx.services.typing.set({ threadId, communityId: thread.community.id }, member.id, input.typing);
  return true;
}
