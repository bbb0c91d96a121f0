import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Em } from '../../../db/orm';
import { BaseEntity, Node } from '../../../shared/baseEntity';
import { Member } from '../../members/member.entity';

/**
 * One published version of the organisation's code of conduct. Versions are only ever added (publishCodeOfConduct):
 * an old one is never edited or removed, so what a member accepted stays readable. The highest version is current;
 * the first migration inserts version 1, so there is always one.
 */
@ObjectType({ implements: Node, description: "A version of the organisation's code of conduct; the highest is current" })
@Entity()
export class CodeOfConduct extends BaseEntity {
  @Field(() => Int, { description: '1, 2, 3…: each publication adds one' })
  @Property({ type: 'integer' })
  @Unique()
  version!: number;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  publishedAt: Date = new Date();

  /** Null: the organisation itself (version 1, from the migration) or a member since deleted. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'set null' })
  publishedBy: Rel<Member> | null = null;
}

/** The current (highest) version; null only before the standards migration ran. */
export async function findCurrentCode(em: Em): Promise<CodeOfConduct | null> {
  const [current] = await em.find(CodeOfConduct, {}, { orderBy: { version: 'desc' }, limit: 1 });
  return current ?? null;
}
