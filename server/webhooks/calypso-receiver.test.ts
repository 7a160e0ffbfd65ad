/**
 * A webhook receiver written only from Calypso's documentation must accept
 * every delivery Payframe makes over an invoice's whole life.
 *
 * The schema below is Calypso's, not ours: the envelope and each event's
 * `data` fields as docs.calypso.finance/reference/webhook-payload lists them
 * (field, type, description), mirrored by public receivers such as the one
 * in shared/research/calypso.md [X3]. It imports nothing from Payframe and
 * parses with plain JSON.parse, as such a receiver does. Where the
 * documentation itself leaves room, the schema takes the documented room and
 * says so: parentExternalId is numeric in its examples but a UUID string for
 * Calypso 2.0 invoices; the fiat fields are "amount in fiat currency if it
 * was set in fiat", so a crypto-priced invoice may send none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeClock, harnessPerTest } from '../testing/harness';
import { startReceiver, type Receiver } from './test-receiver';

const systemId = z.union([z.number(), z.string()]);
const fiatIfSet = z.number().nullable().optional();
const fiatObject = z.object({}).loose();
/** In every event's data. */
const always = { parentExternalId: systemId, idempotencyKey: z.string() };
/** The invoice as created, in most events' data. */
const invoiceFields = { amount: z.number(), currency: z.string(), message: z.string(), createdDate: z.string() };
/** The fields Calypso documents alike for INVOICE_PAID and INVOICE_MEMPOOL_FOUND. */
const paymentSeen = {
  ...always,
  amount: z.number(),
  currency: z.string(),
  description: z.string(),
  externalId: z.string(),
  fiatAmount: fiatIfSet,
  fiatCurrency: z.string().nullable().optional(),
  realAmount: z.number(),
};

const calypsoData = {
  INVOICE_CREATE_INVOICE: z.object({ type: z.literal('INVOICE_CREATE_INVOICE'), ...always, ...invoiceFields, externalId: z.string() }),
  INVOICE_FUNDS_RECEIVED_FOR_INVOICE: z.object({
    type: z.literal('INVOICE_FUNDS_RECEIVED_FOR_INVOICE'),
    ...always,
    ...invoiceFields,
    transactionId: z.array(z.string()),
    senderAddress: z.string(),
    externalId: z.string(),
    paymentDate: z.string(),
    transactionHash: z.string(),
    fiatAmount: fiatObject,
  }),
  INVOICE_PENDING_INTERVENTION: z.object({
    type: z.literal('INVOICE_PENDING_INTERVENTION'),
    ...always,
    message: z.string(),
    externalId: z.string(),
    interventionType: z.enum(['OVERPAY', 'UNDERPAY']).optional(),
  }),
  INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED: z.object({
    type: z.literal('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED'),
    ...always,
    ...invoiceFields,
    serviceFee: z.number(),
    fiatAmount: fiatObject,
    transactionIds: z.array(z.string()),
  }),
  INVOICE_EXPIRED: z.object({
    type: z.literal('INVOICE_EXPIRED'),
    ...always,
    ...invoiceFields,
    expirationDate: z.string(),
    externalId: z.string(),
    fiatAmount: fiatObject,
  }),
  INVOICE_PAID: z.object({ type: z.literal('INVOICE_PAID'), ...paymentSeen }),
  INVOICE_MEMPOOL_FOUND: z.object({
    type: z.literal('INVOICE_MEMPOOL_FOUND'),
    ...paymentSeen,
    createdDate: z.string(),
    transactionHash: z.string(),
  }),
} as const;

const calypsoEnvelope = z.object({
  requestId: z.string(),
  id: z.number(),
  createdDate: z.string(),
  level: z.enum(['SUCCESS', 'INFO', 'WARNING']),
  service: z.string(),
  eventType: z.enum(Object.keys(calypsoData) as [keyof typeof calypsoData]),
  data: z.object({}).loose(),
});

/** What a Calypso receiver does with a delivery: parse the envelope, then the data of its event type. */
function calypsoReceive(body: string) {
  const envelope = calypsoEnvelope.parse(JSON.parse(body));
  const data = calypsoData[envelope.eventType].parse(envelope.data);
  return { ...envelope, data };
}

describe('Payframe’s webhooks, received by a receiver written from Calypso’s documentation', () => {
  let receiver: Receiver;

  const h = harnessPerTest(() => ({ clock: new FakeClock(Date.now()) }));
  beforeEach(async () => {
    receiver = await startReceiver();
    // Subscribed the Calypso way: the INVOICE service group.
    await h.client.createWebhookSubscription({ url: receiver.url, notificationServiceTypes: ['INVOICE'] });
  });
  afterEach(async () => {
    await receiver.close();
  });

  const received = async (invoiceId: string) => {
    await h.webhooks.runDue();
    return receiver.received.map((r) => calypsoReceive(r.body)).filter((e) => e.data.parentExternalId === invoiceId);
  };

  it('parses every event of a paid invoice’s life: created, mempool, funds received, paid, completed', async () => {
    const inv = await h.createInvoice({ amount: '0.25', externalId: 'order-1' });
    const tx = await h.pay(inv.invoiceAddress, '0.25');
    await h.mine(3);
    const events = await received(inv.id);
    expect(events.map((e) => e.eventType)).toEqual([
      'INVOICE_CREATE_INVOICE',
      'INVOICE_MEMPOOL_FOUND',
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE',
      'INVOICE_PAID',
      'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED',
    ]);
    const [created, mempool, funds, paid, completed] = events.map((e) => e.data);
    expect(created).toMatchObject({ amount: 0.25, currency: 'ETH', externalId: 'order-1', idempotencyKey: inv.idempotencyKey });
    expect(mempool).toMatchObject({ realAmount: 0.25, transactionHash: tx });
    expect(funds).toMatchObject({ amount: 0.25, transactionHash: tx, transactionId: [expect.any(String)] });
    expect(paid).toMatchObject({ amount: 0.25, realAmount: 0.25 });
    expect(completed).toMatchObject({ serviceFee: 0, transactionIds: [expect.any(String)] });
  });

  it('parses an intervention (underpaid) and an expiry, and sends an empty externalId when none was given', async () => {
    const under = await h.createInvoice({ amount: '1' });
    await h.pay(under.invoiceAddress, '0.4');
    await h.mine(1);
    const expiring = await h.createInvoice({ expiration: new Date(h.clock.now() + 60_000).toISOString() });
    h.clock.advance(61_000);
    await h.engine.expireDue();

    const intervention = (await received(under.id)).find((e) => e.eventType === 'INVOICE_PENDING_INTERVENTION');
    expect(intervention?.data).toMatchObject({ interventionType: 'UNDERPAY', externalId: '' });
    const expired = (await received(expiring.id)).find((e) => e.eventType === 'INVOICE_EXPIRED');
    expect(expired?.data).toMatchObject({ amount: 0.01, expirationDate: expect.any(String) });
  });

  it('never sends Payframe’s own event types to a subscription that asked for the INVOICE group', async () => {
    const inv = await h.createInvoice();
    await h.client.archiveInvoice({ id: inv.id });
    const events = await received(inv.id);
    expect(events.map((e) => e.eventType)).toEqual(['INVOICE_CREATE_INVOICE']);
    expect(receiver.received).toHaveLength(1);
  });
});
