import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { LoaderRegistry } from '../../../shared/loaders';
import { Community } from '../../communities/community.entity';

export enum CommunityLifecycleChange {
  FOCUS_CHANGED = 'FOCUS_CHANGED',
  SPLIT = 'SPLIT',
  MERGED = 'MERGED',
  RETIRED = 'RETIRED',
}
registerEnumType(CommunityLifecycleChange, {
  name: 'CommunityLifecycleChange',
  description: 'FOCUS_CHANGED: new name, description or topics. SPLIT, MERGED, RETIRED: it is now a read-only archive',
});

@ObjectType({ description: 'Staff changed the focus of the community, or split, merged or retired it; `successors` is where its content went' })
export class CommunityLifecycleChanged {
  @Field({ description: 'Opaque, increasing: the position of this event in its stream' })
  cursor!: string;

  @Field(() => GraphQLDateTime)
  at!: Date;

  @Field(() => Community)
  community!: Community;

  @Field(() => CommunityLifecycleChange)
  change!: CommunityLifecycleChange;

  @Field(() => [Community], { description: 'The parts of a split, or the merged community; empty otherwise' })
  successors!: Community[];
}

/** The lifecycle events' live payloads (see lifecycle.events.ts). */
export type LifecycleLiveEvent = { type: 'CommunityFocusChanged' | 'CommunityRetired'; communityId: string; change: string; successorIds: string[] };

/** communityActivity's value for a lifecycle event (communities are public: no per-viewer reads). */
export async function toLifecycleChanged(
  loaders: LoaderRegistry,
  event: LifecycleLiveEvent & { at: string },
  cursor: string,
): Promise<CommunityLifecycleChanged | null> {
  const community = await loaders.byId(Community).load(event.communityId);
  if (!community) return null;
  const successors = (await loaders.byId(Community).loadMany(event.successorIds)).filter((c): c is Community => c instanceof Community);
  return Object.assign(new CommunityLifecycleChanged(), {
    cursor,
    at: new Date(event.at),
    community,
    change: event.change as CommunityLifecycleChange,
    successors,
  });
}
