import { Entity, Index, ManyToOne, Unique } from '@mikro-orm/decorators/legacy';
import type { Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/baseEntity';
import { Member } from '../members/member.entity';
import { Resource } from './resource.entity';

/** One member vouching for one resource; `endorseResource` toggles it. The unique key makes a double-click harmless. */
@Entity()
@Unique({ properties: ['resource', 'member'] })
export class ResourceEndorsement extends BaseEntity {
  @ManyToOne(() => Resource, { deleteRule: 'cascade' })
  resource!: Rel<Resource>;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  @Index()
  member!: Rel<Member>;
}
