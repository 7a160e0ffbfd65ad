/**
 * Webhook subscriptions and the delivery log, in the signed envelope of the
 * merchant API (Calypso's paths for the subscription calls). See
 * docs/webhooks.md.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../db/schema';
import { ApiError } from '../http/errors';
import type { Clock } from '../invoices/engine';
import { listDeliveries, redeliver } from '../webhooks/delivery-log';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_SERVICE_TYPES } from '../webhooks/events';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  rotateSubscriptionKeys,
  subscriptionDto,
} from '../webhooks/subscriptions';
import { checkTarget, systemLookup, type TargetPolicy } from '../webhooks/targets';
import { signedRequest, type SignedEnv } from './signed';
import { parseOrThrow } from './validation';

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const requestId = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

const webhookUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http or https URL')
  .refine((v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''), {
    message: 'must not carry credentials; a receiver authenticates our requests by their signature',
  });

const createSchema = z
  .object({
    requestId: optional(requestId),
    url: webhookUrl,
    notificationEventTypes: optional(
      z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })).max(WEBHOOK_EVENT_TYPES.length * 2),
    ),
    notificationServiceTypes: optional(z.array(z.enum(Object.keys(WEBHOOK_SERVICE_TYPES) as ['INVOICE'], { error: 'must be INVOICE' })).max(4)),
  })
  .refine((p) => (p.notificationEventTypes?.length ?? 0) + (p.notificationServiceTypes?.length ?? 0) > 0, {
    message: 'name at least one event type (or notificationServiceTypes ["INVOICE"] for all)',
    path: ['notificationEventTypes'],
  });

const byRequestIdSchema = z.object({ requestId });

const deliveriesSchema = z.object({
  requestId: optional(requestId),
  invoiceId: optional(z.string().max(64)),
  status: optional(z.enum(['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'])),
  cursor: optional(z.string().regex(/^\d{1,15}$/, 'not a cursor this API returned')),
  limit: optional(z.number().int().min(1).max(100)),
});

const redeliverSchema = z.object({ id: z.number().int().positive() });

export function webhookRoutes(deps: { db: Db; clock: Clock; webhookTargets?: TargetPolicy | undefined }) {
  const { db, clock } = deps;
  const targets = deps.webhookTargets ?? { allowPrivate: false, lookup: systemLookup };
  const signed = signedRequest(db, clock);

  return (
    new Hono<SignedEnv>()
      // Mounted beside merchantRoutes under /api/v1, whose signature check already covers
      // these paths (Hono applies a sub-app's middleware to its whole mount point), and the
      // body can be read once only. Checked here too, so these routes never go unsigned.
      .use('/subscription/*', async (c, next) => (c.get('account') ? next() : signed(c, next)))
      .post('/subscription/webhook/create', async (c) => {
        const p = parseOrThrow(createSchema, c.get('payload'), 'payload');
        const target = await checkTarget(new URL(p.url), targets);
        if (!target.ok) throw new ApiError('VALIDATION_FAILED', `payload.url: ${target.reason}`);
        const eventTypes = [...(p.notificationEventTypes ?? []), ...(p.notificationServiceTypes ?? []).flatMap((s) => WEBHOOK_SERVICE_TYPES[s])];
        const row = await createSubscription(db, { account: c.get('account'), requestId: p.requestId, url: p.url, eventTypes, now: clock.now() });
        return c.json(subscriptionDto(row));
      })
      .post('/subscription/webhook', async (c) => {
        const rows = await listSubscriptions(db, c.get('account'));
        return c.json({ subscriptions: rows.map(subscriptionDto) });
      })
      .delete('/subscription/webhook', async (c) => {
        const p = parseOrThrow(byRequestIdSchema, c.get('payload'), 'payload');
        await deleteSubscription(db, c.get('account'), p.requestId, clock.now());
        return c.json({});
      })
      .post('/subscription/webhook/regenerate-keys', async (c) => {
        const p = parseOrThrow(byRequestIdSchema, c.get('payload'), 'payload');
        return c.json(subscriptionDto(await rotateSubscriptionKeys(db, c.get('account'), p.requestId, clock.now())));
      })
      .post('/subscription/webhook/deliveries', async (c) => {
        const p = parseOrThrow(deliveriesSchema, c.get('payload'), 'payload');
        const page = await listDeliveries(db, {
          account: c.get('account'),
          requestId: p.requestId,
          invoiceId: p.invoiceId,
          status: p.status,
          beforeId: p.cursor === undefined ? undefined : Number(p.cursor),
          limit: p.limit ?? 20,
        });
        return c.json(page);
      })
      .post('/subscription/webhook/redeliver', async (c) => {
        const p = parseOrThrow(redeliverSchema, c.get('payload'), 'payload');
        const account = c.get('account');
        await redeliver(db, account, p.id, clock.now());
        const { items } = await listDeliveries(db, { account, deliveryId: p.id, limit: 1 });
        return c.json(items[0]);
      })
  );
}
