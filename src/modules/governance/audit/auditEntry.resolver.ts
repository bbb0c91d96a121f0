import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { PageArgs, connectionType, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { readNode } from '../../../shared/nodes';
import { AppError } from '../../../shared/errors';
import { Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { AuditEntry } from './auditEntry.entity';
import { listAuditLog } from './listAuditLog';

export const AuditEntryConnection = connectionType('AuditEntry', AuditEntry);

@ArgsType()
class AuditLogArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this community's entries" })
  communityId?: string | null;
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @Query(() => AuditEntryConnection, { description: 'Every governance action, newest first: staff and board only' })
  auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<AuditEntry>>> {
    return listAuditLog(ctx, args);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null: the system (a scheduled job)' })
  actor(@Root() entry: AuditEntry, @Ctx() ctx: Context): Promise<Member | null> | null {
    return entry.actor ? ctx.loaders.byId(Member).load(entry.actor.id) : null;
  }

  @FieldResolver(() => Community, { nullable: true })
  community(@Root() entry: AuditEntry, @Ctx() ctx: Context): Promise<Community | null> | null {
    return entry.community ? ctx.loaders.byId(Community).load(entry.community.id) : null;
  }

  @FieldResolver(() => Node, { nullable: true, description: 'What it was done to, read through its own rules; null when gone or not readable' })
  async subject(@Root() entry: AuditEntry, @Ctx() ctx: Context): Promise<object | null> {
    try {
      return await readNode(ctx, entry.subjectNodeId);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) return null;
      throw error;
    }
  }
}
