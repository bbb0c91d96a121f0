import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { SearchArgs } from './search.inputs';
import { SearchHitConnection } from './search.types';
import { search } from './search';

@Resolver()
export class SearchResolver {
  @Query(() => SearchHitConnection, {
    description:
      'Full-text search over threads, replies and resources, best first (relevance decayed by age). Covers OPEN ' +
      'communities and the RESTRICTED ones the viewer is an ACTIVE member of; a RESTRICTED communityId the viewer ' +
      'may not read is FORBIDDEN',
  })
  search(@Args() args: SearchArgs, @Ctx() ctx: Context): Promise<SearchHitConnection> {
    return search(ctx, args);
  }
}
