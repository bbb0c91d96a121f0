import type { Member } from '../modules/members/member.entity';
import type { Membership } from '../modules/communities/membership.entity';
import type { Community } from '../modules/communities/community.entity';
import type { Thread } from '../modules/discussions/thread.entity';
import { forbidden, unauthenticated } from './errors';

/**
 * Who is acting: the signed-in member (or nobody) and a way to look up their membership in a community.
 * Requests, sockets and jobs all build one, so every entry point runs the same rules.
 */
export interface Actor {
  readonly member: Member | null;
  membershipIn(communityId: string): Promise<Membership | null>;
  /** Loads a community (batched), so rules about threads and posts can look at it. */
  community(communityId: string): Promise<Community>;
  thread(threadId: string): Promise<Thread>;
}

/**
 * A refusal that knows why, when the reason is about the subject rather than the actor (a retired community is
 * read-only for everyone): `authorize` reports it instead of the caller's message, which speaks of who may act.
 */
export class Refusal {
  constructor(readonly reason: string) {}
}
export const refuse = (reason: string) => new Refusal(reason);

export type Verdict = boolean | Refusal;
type Rule<S> = (actor: Actor, subject: S) => Verdict | Promise<Verdict>;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const rules = new Map<Function, Map<string, Rule<never>>>();

/** Declares who may do `action` to a kind of subject (Outline's cancan style). */
export function allow<S extends object>(model: abstract new (...args: never[]) => S, actions: string | string[], rule: Rule<S>): void {
  const forModel = rules.get(model) ?? new Map<string, Rule<never>>();
  for (const action of Array.isArray(actions) ? actions : [actions]) forModel.set(action, rule as Rule<never>);
  rules.set(model, forModel);
}

/** The rule's answer with its reason; rules that build on another rule return this so the reason survives. */
export async function verdict<S extends object>(actor: Actor, action: string, subject: S): Promise<Verdict> {
  const rule = rules.get(subject.constructor)?.get(action) as Rule<S> | undefined;
  if (!rule) throw new Error(`No policy for ${subject.constructor.name}.${action}`);
  return rule(actor, subject);
}

export async function can<S extends object>(actor: Actor, action: string, subject: S): Promise<boolean> {
  return (await verdict(actor, action, subject)) === true;
}

/**
 * Throws unless the actor may do `action`. Anonymous actors are told to sign in, except for reads, where a
 * restricted community's content is FORBIDDEN to every non-member alike.
 */
export async function authorize<S extends object>(actor: Actor, action: string, subject: S, message?: string): Promise<void> {
  const answer = await verdict(actor, action, subject);
  if (answer === true) return;
  if (!actor.member && !action.startsWith('read')) throw unauthenticated();
  throw forbidden(answer instanceof Refusal ? answer.reason : message);
}

export function requireMember(actor: Actor): Member {
  if (!actor.member) throw unauthenticated();
  return actor.member;
}
