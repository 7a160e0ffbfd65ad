/**
 * Webhook subscriptions (Calypso's paths and WebhookChannelDTO) and the
 * delivery log (ours).
 */
import { z } from 'zod';
import { dateOut, optional } from './common';
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_SERVICE_TYPES } from './enums';

const requestId = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

const webhookUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http or https URL')
  .refine((v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''), {
    message: 'must not carry credentials; a receiver authenticates our requests by their signature',
  });

/** POST /api/v1/subscription/webhook/create */
export const createSubscription = z
  .object({
    requestId: optional(requestId).meta({ description: 'Names the subscription; the same create sent again answers the same one. Generated when absent.' }),
    url: webhookUrl,
    notificationEventTypes: optional(
      z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })).max(WEBHOOK_EVENT_TYPES.length * 2),
    ),
    notificationServiceTypes: optional(z.array(z.enum(Object.keys(WEBHOOK_SERVICE_TYPES) as ['INVOICE'], { error: 'must be INVOICE' })).max(4)).meta({ description: 'Calypso\'s groups: INVOICE is every Calypso invoice event (not Payframe\'s own two, which are asked for by name).' }),
  })
  .refine((p) => (p.notificationEventTypes?.length ?? 0) + (p.notificationServiceTypes?.length ?? 0) > 0, {
    message: 'name at least one event type (or notificationServiceTypes ["INVOICE"] for all)',
    path: ['notificationEventTypes'],
  });

/** DELETE /api/v1/subscription/webhook and …/regenerate-keys */
export const subscriptionByRequestId = z.object({ requestId });

/** Calypso's list calls send no payload. */
export const noPayload = z.object({});

/** Ours: the delivery log, newest first. */
export const listDeliveries = z.object({
  requestId: optional(requestId),
  invoiceId: optional(z.string().max(64)),
  status: optional(z.enum(DELIVERY_STATUSES)),
  cursor: optional(z.string().regex(/^\d{1,15}$/, 'not a cursor this API returned')),
  limit: optional(z.number().int().min(1).max(100)),
});

export const redeliver = z.object({ id: z.number().int().positive() });

/** Calypso's WebhookChannelDTO, plus ours: the failure counters behind blockedByErrorCount. */
export const subscriptionDto = z
  .object({
    requestId: z.string(),
    notificationEventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    url: z.string(),
    publicKey: z.string().meta({ description: 'Sent as the Key header of every delivery.' }),
    secretKey: z.string().meta({ description: 'Signs every delivery (`whsec_…`); keep it on your server.' }),
    createdDate: dateOut,
    blockedByErrorCount: z.boolean().meta({ description: 'Marked as failing: more than 100 failed attempts in 10 minutes, or a delivery given up. The next 2xx clears it.' }),
    consecutiveFailures: z.number().int(),
    failingSince: dateOut.nullable(),
  })
  .meta({ id: 'WebhookSubscription' });

export const subscriptionList = z.object({ subscriptions: z.array(subscriptionDto) }).meta({ id: 'WebhookSubscriptionList' });

export const deleted = z.object({}).meta({ id: 'Deleted' });

export const deliveryDto = z
  .object({
    id: z.number().int().meta({ description: 'Also the webhook\'s `id` and its webhook-id header.' }),
    requestId: z.string(),
    invoiceId: z.string(),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    status: z.enum(DELIVERY_STATUSES),
    attemptCount: z.number().int(),
    nextAttemptDate: dateOut.nullable(),
    deliveredDate: dateOut.nullable(),
    createdDate: dateOut,
    attempts: z.array(
      z.object({
        date: dateOut,
        durationMs: z.number().int(),
        ok: z.boolean(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        response: z.string().nullable().meta({ description: 'The first 256 characters of the receiver\'s answer.' }),
      }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveryPage = z.object({ items: z.array(deliveryDto), nextCursor: z.string().nullable() }).meta({ id: 'WebhookDeliveryPage' });

export type SubscriptionDto = z.output<typeof subscriptionDto>;
export type DeliveryDto = z.output<typeof deliveryDto>;
