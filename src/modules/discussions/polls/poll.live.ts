import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { LoaderRegistry } from '../../../shared/loaders';
import { Member } from '../../members/member.entity';
import { Poll } from './poll.entity';

@ObjectType({ description: "Someone voted in the thread's poll: `poll` has the new counts; `voter` is null for anonymous polls" })
export class PollVoted {
  @Field({ description: 'Opaque, increasing: the position of this event in its stream' })
  cursor!: string;

  @Field(() => GraphQLDateTime)
  at!: Date;

  @Field(() => Poll)
  poll!: Poll;

  @Field(() => Member, { nullable: true, description: 'Who voted; always null for an anonymous poll' })
  voter!: Member | null;
}

/** The poll events' live payloads (see poll.events.ts). */
export type PollLiveEvent = { type: 'PollVoted'; communityId: string; threadId: string; pollId: string; voterId: string | null };

/** threadActivity's value for a vote: the poll (counts read when it is shown), the voter only for a named poll. */
export async function toPollVoted(loaders: LoaderRegistry, event: PollLiveEvent & { at: string }, cursor: string): Promise<PollVoted | null> {
  const poll = await loaders.byId(Poll).load(event.pollId);
  if (!poll) return null;
  // The payload of an anonymous poll has no voter; checking the poll as well keeps it so whatever the payload says.
  const voter = !poll.anonymous && event.voterId ? await loaders.byId(Member).load(event.voterId) : null;
  return Object.assign(new PollVoted(), { cursor, at: new Date(event.at), poll, voter });
}
