import { IsBoolean, IsString } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { CommandScope } from '../context';
import { forbidden } from '../shared/errors';
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

export interface SetTypingProps {
  threadId: string;
  typing: boolean;
}

/** Whoever may reply may show that they are typing; the flag expires by itself. */
export async function setTyping(scope: CommandScope, props: SetTypingProps): Promise<boolean> {
  const member = requireMember(scope.actor);
  const { threadId } = props;
  const thread = await scope.actor.thread(threadId);
  await authorize(scope.actor, 'read', thread, 'This community is for members only');
  if (thread.locked) throw forbidden('This thread is locked');
  await authorize(scope.actor, 'reply', thread, 'Only ACTIVE members can reply here');
  scope.services.typing.set({ threadId, communityId: thread.community.id }, member.id, props.typing);
  return true;
}
