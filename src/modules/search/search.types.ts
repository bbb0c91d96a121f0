import { createUnionType, Field, Float, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../shared/pagination';
import { Post } from '../discussions/post.entity';
import { Thread } from '../discussions/thread.entity';
import { Resource } from '../resources/resource.entity';
import { SearchSnippet } from './snippet';

export const SearchHit = createUnionType({
  name: 'SearchHit',
  description: 'Something search found: a thread (its title or opening post), a reply, or a shared resource',
  types: () => [Thread, Post, Resource] as const,
  resolveType: (value) => value.constructor.name,
});

@ObjectType({ description: 'One search hit with why it matched and how well' })
export class SearchHitEdge {
  @Field()
  cursor!: string;

  @Field(() => SearchHit)
  node!: Thread | Post | Resource;

  @Field(() => SearchSnippet, { description: 'The matching passage with the matched words marked' })
  snippet!: SearchSnippet;

  @Field(() => Float, { description: 'Text relevance (PostgreSQL ts_rank with length normalisation)' })
  rank!: number;

  @Field(() => Float, {
    description: 'What hits are ordered by: rank × 2^(−age / 365 days), so a year-old hit needs twice the relevance of a new one',
  })
  score!: number;
}

@ObjectType('SearchHitConnection', { description: 'Search hits, best first' })
export class SearchHitConnection {
  @Field(() => [SearchHitEdge])
  edges!: SearchHitEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Hits across all pages, counting only what the viewer may read' })
  totalCount!: number;

  @Field({
    description:
      'True when the words are so common that only the newest matches of each kind (threads, replies, resources) were ' +
      'ranked; add words or a community to reach older ones',
  })
  truncated!: boolean;
}
