import { childCountLoader, childPageLoader, CREATED_ORDER, type LoaderRegistry } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { SupportRequest, type SupportRequestStatus } from './supportRequest.entity';

const filterSql = (status: SupportRequestStatus | null) => (status ? { where: 't.status = ?', params: [status] } : { where: undefined, params: [] });

/** One page of support requests for many communities, newest first, one statement per batch. */
export function supportRequestsPageLoader(registry: LoaderRegistry, page: Page, status: SupportRequestStatus | null) {
  const { where, params } = filterSql(status);
  return childPageLoader<SupportRequest>(
    registry,
    `supportRequests:${status ?? 'all'}`,
    { entity: SupportRequest, table: 'support_request', parentColumn: 'community_id', order: CREATED_ORDER, direction: 'desc', where, whereParams: params },
    page,
  );
}

export function supportRequestCountLoader(registry: LoaderRegistry, status: SupportRequestStatus | null) {
  const { where, params } = filterSql(status);
  return childCountLoader(registry, `supportRequests:${status ?? 'all'}`, 'support_request', 'community_id', where, params);
}
