import { childCountLoader, childPageLoader, CREATED_ORDER, type LoaderRegistry } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { WebhookDelivery } from './webhookDelivery.entity';

/** Deliveries of many webhooks, newest first, one statement per batch. */
export function deliveriesPageLoader(registry: LoaderRegistry, page: Page) {
  return childPageLoader<WebhookDelivery>(
    registry,
    'webhookDeliveries',
    { entity: WebhookDelivery, table: 'webhook_delivery', parentColumn: 'webhook_id', order: CREATED_ORDER, direction: 'desc' },
    page,
  );
}

export const deliveryCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'webhookDeliveries', 'webhook_delivery', 'webhook_id');
