/**
 * The webhook routes of the merchant API: subscriptions (Calypso's paths)
 * and the delivery log. See docs/webhooks.md.
 */
import { WEBHOOK_SERVICE_TYPES } from '../../contract/enums';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { ApiError } from '../http/errors';
import type { SecretBox } from '../secrets/secret-box';
import { listDeliveries, redeliver } from '../webhooks/delivery-log';
import { createSubscription, deleteSubscription, listSubscriptions, rotateSubscriptionKeys, subscriptionDto } from '../webhooks/subscriptions';
import { checkTarget, type TargetPolicy } from '../webhooks/targets';
import type { Handlers } from './merchant-routes';

export interface SubscriptionHandlerDeps {
  db: Db;
  /** Seals new webhook secrets and opens them for the merchant's answers. */
  secrets: SecretBox;
  clock: Clock;
  /** Where webhook subscriptions may point. */
  webhookTargets: TargetPolicy;
}

export function subscriptionHandlers({ db, secrets, clock, webhookTargets }: SubscriptionHandlerDeps) {
  return {
    async createWebhookSubscription(p, { account }) {
      const target = await checkTarget(new URL(p.url), webhookTargets);
      if (!target.ok) throw new ApiError('VALIDATION_FAILED', `payload.url: ${target.reason}`);
      const eventTypes = [...(p.notificationEventTypes ?? []), ...(p.notificationServiceTypes ?? []).flatMap((s) => WEBHOOK_SERVICE_TYPES[s])];
      return subscriptionDto(await createSubscription(db, secrets, { account, requestId: p.requestId, url: p.url, eventTypes, now: clock.now() }));
    },

    async listWebhookSubscriptions(_p, { account }) {
      return { subscriptions: (await listSubscriptions(db, secrets, account)).map(subscriptionDto) };
    },

    async deleteWebhookSubscription(p, { account }) {
      await deleteSubscription(db, account, p.requestId, clock.now());
      return {};
    },

    regenerateWebhookKeys: async (p, { account }) => subscriptionDto(await rotateSubscriptionKeys(db, secrets, account, p.requestId, clock.now())),

    listWebhookDeliveries: (p, { account }) =>
      listDeliveries(db, {
        account,
        requestId: p.requestId,
        invoiceId: p.invoiceId,
        status: p.status,
        beforeId: p.cursor === undefined ? undefined : Number(p.cursor),
        limit: p.limit ?? 20,
      }),

    async redeliverWebhook(p, { account }) {
      await redeliver(db, account, p.id, clock.now());
      const { items } = await listDeliveries(db, { account, deliveryId: p.id, limit: 1 });
      return items[0]!;
    },
  } satisfies Partial<Handlers>;
}
