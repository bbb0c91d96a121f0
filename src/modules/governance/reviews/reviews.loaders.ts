import { childCountLoader, childPageLoader, type LoaderRegistry, type OrderColumn } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { CommunityReview } from './communityReview.entity';

/** Newest year first. */
export const REVIEW_ORDER: OrderColumn[] = [
  { column: 'year', property: 'year', kind: 'integer' },
  { column: 'id', property: 'id', kind: 'uuid' },
];

/** Reviews of many communities, one statement per batch. */
export function reviewsPageLoader(registry: LoaderRegistry, page: Page) {
  return childPageLoader<CommunityReview>(
    registry,
    'communityReviews',
    { entity: CommunityReview, table: 'community_review', parentColumn: 'community_id', order: REVIEW_ORDER, direction: 'desc' },
    page,
  );
}

export const reviewCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'communityReviews', 'community_review', 'community_id');
