/**
 * Webhook deliveries: Calypso's envelope
 * `{requestId, id, createdDate, level, service, eventType, data}` and one
 * `data` shape per event type, with the fields Calypso documents for it
 * (docs.calypso.finance/reference/webhook-payload; see
 * shared/research/calypso.md §5) and Payframe's own beside them.
 *
 * Calypso's fields everywhere: `type` (the event type), `parentExternalId`
 * (the invoice's id), `idempotencyKey`, `externalId` ("" when the merchant
 * gave none). Amounts are JSON numbers on the wire (see common.ts).
 */
import { z } from 'zod';
import { amountOut, dateOut } from './common';
import { CALYPSO_INTERVENTION_TYPES, INTERVENTION_TYPES, INVOICE_STATES, INVOICE_TYPES, WEBHOOK_LEVELS, type WebhookEventType } from './enums';

/** The fields every event's `data` has. */
const common = {
  parentExternalId: z.string().meta({ description: "The invoice's id (InvoiceDTO.id)." }),
  idempotencyKey: z.string(),
  externalId: z.string().meta({ description: 'The merchant’s id for the invoice; "" when none was given.' }),
  // Ours, beside Calypso's: the invoice as it was at the event.
  invoiceType: z.enum(INVOICE_TYPES).meta({ description: 'Ours: the invoice type (Calypso’s `type` holds the event type here).' }),
  state: z.enum(INVOICE_STATES),
  interventionReason: z.enum(INTERVENTION_TYPES).nullable(),
  isInterventionResolved: z.boolean(),
  currency: z.string(),
  network: z.string(),
  invoiceAddress: z.string(),
  amountPaid: amountOut.meta({ description: 'Ours: everything the invoice address has received so far, mempool included.' }),
  lastDepositHash: z.string().nullable(),
  confirmations: z.number().int(),
  createdDate: dateOut,
  expiration: dateOut,
  version: z.number().int().meta({ description: 'Ours: grows with every change of the invoice; the checkout API’s `version`.' }),
};

/** Calypso's fiat amount object: empty for an invoice priced in crypto. */
const fiatObject = z.object({ amount: amountOut, currency: z.string() }).partial();

const data = <T extends WebhookEventType, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...common, ...shape }).meta({ id: `${toPascal(type)}Data` });

/** What INVOICE_MEMPOOL_FOUND and INVOICE_PAID say alike: the amount asked, what was received, the fiat price. */
const received = (realAmount: string) => ({
  amount: amountOut,
  realAmount: amountOut.meta({ description: realAmount }),
  description: z.string(),
  fiatAmount: amountOut.nullable(),
  fiatCurrency: z.string().nullable(),
});

const eventData = {
  INVOICE_CREATE_INVOICE: data('INVOICE_CREATE_INVOICE', {
    amount: amountOut,
    message: z.string().meta({ description: 'The invoice’s description.' }),
  }),
  INVOICE_MEMPOOL_FOUND: data('INVOICE_MEMPOOL_FOUND', {
    ...received('What the invoice address has received, mempool included.'),
    transactionHash: z.string(),
  }),
  INVOICE_FUNDS_RECEIVED_FOR_INVOICE: data('INVOICE_FUNDS_RECEIVED_FOR_INVOICE', {
    amount: amountOut.meta({ description: 'What arrived with this event: the payments newly confirmed.' }),
    transactionId: z.array(z.string()).meta({ description: 'Payframe’s ids of those payments.' }),
    senderAddress: z.string(),
    paymentDate: dateOut,
    transactionHash: z.string(),
    fiatAmount: fiatObject,
    message: z.string(),
  }),
  INVOICE_PAID: data('INVOICE_PAID', received('What the buyer really paid.')),
  INVOICE_PENDING_INTERVENTION: data('INVOICE_PENDING_INTERVENTION', {
    message: z.string(),
    interventionType: z.enum(CALYPSO_INTERVENTION_TYPES).optional().meta({
      description: 'Calypso’s UNDERPAY or OVERPAY; absent for the reasons Calypso has no name for (see interventionReason).',
    }),
    amount: amountOut,
  }),
  INVOICE_EXPIRED: data('INVOICE_EXPIRED', {
    expirationDate: dateOut,
    message: z.string(),
    amount: amountOut,
    fiatAmount: fiatObject,
  }),
  INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED: data('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED', {
    serviceFee: amountOut.meta({ description: 'Always 0: Payframe charges no fee.' }),
    transactionIds: z.array(z.string()),
    message: z.string(),
    amount: amountOut,
    fiatAmount: fiatObject,
  }),
  INVOICE_ARCHIVED: data('INVOICE_ARCHIVED', { amount: amountOut, message: z.string() }),
  INVOICE_PAYMENT_REVERSED: data('INVOICE_PAYMENT_REVERSED', {
    amount: amountOut,
    realAmount: amountOut.meta({ description: 'What the invoice address still holds after the reorg, mempool included.' }),
    message: z.string(),
  }),
} satisfies { [T in WebhookEventType]: z.ZodObject };

export type EventData<T extends WebhookEventType = WebhookEventType> = z.output<(typeof eventData)[T]>;

const envelope = <T extends WebhookEventType>(type: T) =>
  z
    .object({
      /** The subscription's requestId (Calypso: "id of the request that created webhook subscription"). */
      requestId: z.string(),
      /** This event for this subscription; the same on every retry and redelivery; equals the webhook-id header. */
      id: z.number().int(),
      createdDate: dateOut,
      level: z.enum(WEBHOOK_LEVELS),
      service: z.literal('INVOICE'),
      eventType: z.literal(type),
      data: eventData[type],
    })
    .meta({ id: toPascal(type) });

export const webhookEvent = z.discriminatedUnion('eventType', [
  envelope('INVOICE_CREATE_INVOICE'),
  envelope('INVOICE_MEMPOOL_FOUND'),
  envelope('INVOICE_FUNDS_RECEIVED_FOR_INVOICE'),
  envelope('INVOICE_PAID'),
  envelope('INVOICE_PENDING_INTERVENTION'),
  envelope('INVOICE_EXPIRED'),
  envelope('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED'),
  envelope('INVOICE_ARCHIVED'),
  envelope('INVOICE_PAYMENT_REVERSED'),
]);

export type WebhookEvent = z.output<typeof webhookEvent>;

function toPascal(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
