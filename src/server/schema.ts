import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { NodeResolver } from '../shared/nodes';
import { MemberResolver } from '../modules/members/member.resolver';
import { CommunityResolver } from '../modules/communities/community.resolver';
import { MemberMembershipsResolver, MembershipResolver } from '../modules/communities/membership.resolver';
import { CommunityThreadsResolver, ThreadResolver } from '../modules/discussions/thread.resolver';
import { PostResolver } from '../modules/discussions/post.resolver';
import '../modules/registerNodes';

export const resolvers = [
  NodeResolver,
  MemberResolver,
  CommunityResolver,
  MembershipResolver,
  MemberMembershipsResolver,
  ThreadResolver,
  CommunityThreadsResolver,
  PostResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

/** The code-first schema, built once per process; class-validator runs on every input. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...resolvers],
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
  return built;
}
