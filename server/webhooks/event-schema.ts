/**
 * The webhook body: Calypso's envelope
 * `{requestId, id, createdDate, level, service, eventType, data}` with the
 * invoice as it was at the event in `data`. Kept free of server code, so
 * that verify.ts (which merchants import) needs nothing but zod.
 */
import { z } from 'zod';
import { CALYPSO_INTERVENTION_TYPES, INTERVENTION_TYPES, INVOICE_STATES } from '../invoices/state-machine';
import { WEBHOOK_EVENT_TYPES } from './events';

/** `data`: the invoice at the event. Unknown keys pass, so a field added later does not break a receiver. */
export const webhookDataSchema = z
  .object({
    type: z.literal('SINGLE'),
    parentExternalId: z.null(),
    /** The invoice's id (the `id` of InvoiceDTO). */
    id: z.string(),
    idempotencyKey: z.string(),
    externalId: z.string().nullable(),
    state: z.enum(INVOICE_STATES),
    /** Calypso's UNDERPAY or OVERPAY; null otherwise (see interventionReason). */
    interventionType: z.enum(CALYPSO_INTERVENTION_TYPES).nullable(),
    /** Why the invoice needs the merchant, including Payframe's MULTIPLE_SENDERS and LATE_PAYMENT. */
    interventionReason: z.enum(INTERVENTION_TYPES).nullable(),
    isInterventionResolved: z.boolean(),
    amount: z.number(),
    amountPaid: z.number(),
    currency: z.string(),
    network: z.string(),
    invoiceAddress: z.string(),
    lastDepositHash: z.string().nullable(),
    confirmations: z.number().int(),
    description: z.string(),
    createdDate: z.iso.datetime(),
    expiration: z.iso.datetime(),
    /** Grows with every change of the invoice; the checkout API's `version`. */
    version: z.number().int(),
  })
  .loose();

export const webhookEventSchema = z
  .object({
    /** The subscription's requestId (Calypso: "id of the request that created webhook subscription"). */
    requestId: z.string(),
    /** This event for this subscription; the same on every retry and redelivery; equals the webhook-id header. */
    id: z.number().int(),
    createdDate: z.iso.datetime(),
    level: z.enum(['SUCCESS', 'INFO', 'WARNING']),
    service: z.literal('INVOICE'),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    data: webhookDataSchema,
  })
  .loose();

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookData = z.infer<typeof webhookDataSchema>;
