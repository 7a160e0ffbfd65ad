import { describe, expect, it } from 'vitest';
import { getAddress } from 'viem';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { webhookEvent } from '../../contract/webhook-events';
import { readWire } from '../../contract/wire-json';
import type { InvoicesTable } from '../db/schema';
import { CurrencyTable } from '../money/currencies';
import { newInvoiceRow } from '../testing/invoice-row';
import { eventData, eventDataJson, renderBody, type EventContext } from './payload';

const eth = new CurrencyTable([]).find('ETH')!;
const row = newInvoiceRow({
  id: 'inv_1',
  account: '0x' + '1'.repeat(40),
  idempotency_key: 'key-1',
  currency: 'ETH',
  network: 'ethereum',
  chain: 'sandbox',
  address: '0x' + 'ab'.repeat(20),
  address_index: 0,
  amount: '1000000000000000001',
  description: 'Order "7" ✓',
  created_at: Date.parse('2026-11-24T12:00:00.000Z'),
});
const sender = '0x' + 'cd'.repeat(20);
const payments = [
  { id: 11, txHash: '0x' + '01'.repeat(32), sender, amount: 400_000_000_000_000_000n, seenAt: row.created_at + 1000 },
  { id: 12, txHash: '0x' + '02'.repeat(32), sender, amount: 600_000_000_000_000_001n, seenAt: row.created_at + 2000 },
];
const ctx = (over: Partial<InvoicesTable> = {}, received = payments.slice(1)): EventContext => ({ invoice: { ...row, ...over }, currency: eth, payments, received });

describe('webhook data', () => {
  it.each(WEBHOOK_EVENT_TYPES)('of %s is its contract shape, with Calypso’s common fields', (type) => {
    const data = eventData(type, ctx({ external_id: 'order-7', last_deposit_hash: payments[1]!.txHash }));
    expect(data).toMatchObject({ type, parentExternalId: 'inv_1', idempotencyKey: 'key-1', externalId: 'order-7', invoiceType: 'SINGLE' });
    const body = renderBody({ requestId: 'r-1', deliveryId: 9, createdAt: row.created_at, level: 'INFO', eventType: type, data: eventDataJson(type, ctx()) });
    expect(webhookEvent.safeParse(readWire(body)).success).toBe(true);
  });

  it('writes externalId as an empty string, not null, when the merchant gave none', () => {
    expect(eventData('INVOICE_CREATE_INVOICE', ctx())).toMatchObject({ externalId: '' });
  });

  it('reports what arrived in INVOICE_FUNDS_RECEIVED_FOR_INVOICE: the newly received payments only', () => {
    expect(eventData('INVOICE_FUNDS_RECEIVED_FOR_INVOICE', ctx())).toMatchObject({
      amount: '0.600000000000000001',
      transactionId: ['12'],
      senderAddress: getAddress(sender),
      transactionHash: payments[1]!.txHash,
      paymentDate: new Date(payments[1]!.seenAt).toISOString(),
      fiatAmount: {},
    });
    expect(eventData('INVOICE_FUNDS_RECEIVED_FOR_INVOICE', ctx({}, payments))).toMatchObject({ amount: '1.000000000000000001', transactionId: ['11', '12'] });
  });

  it('names a UTXO payment by the first address its inputs spend from, as written, and an undetermined sender as ""', () => {
    const btc = new CurrencyTable([]).find('BTC')!;
    const utxo = { ...row, currency: 'BTC', network: 'bitcoin', chain: 'bitcoin', address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', amount: '150000' };
    const paid = (from: string) => [{ id: 21, txHash: 'ab'.repeat(32), sender: from, amount: 150_000n, seenAt: row.created_at + 1000 }];
    const data = (from: string) => eventData('INVOICE_FUNDS_RECEIVED_FOR_INVOICE', { invoice: utxo, currency: btc, payments: paid(from), received: paid(from) });
    // A base58 sender keeps its case: lower-casing it would make another (invalid) address.
    expect(data(`1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh ${'cd'.repeat(32)}:1`)).toMatchObject({ senderAddress: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', invoiceAddress: utxo.address });
    expect(data('')).toMatchObject({ senderAddress: '' });
  });

  it('lists every payment in INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED, with no service fee', () => {
    expect(eventData('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED', ctx())).toMatchObject({ serviceFee: '0', transactionIds: ['11', '12'], message: 'Order "7" ✓' });
  });

  it('gives INVOICE_PAID the invoice amount and what was really paid; fiat fields null for a crypto invoice', () => {
    expect(eventData('INVOICE_PAID', ctx({ amount_paid: '1000000000000000002' }))).toMatchObject({
      amount: '1.000000000000000001',
      realAmount: '1.000000000000000002',
      description: 'Order "7" ✓',
      fiatAmount: null,
      fiatCurrency: null,
    });
  });

  it('writes amounts as JSON numbers with their exact decimal text', () => {
    expect(eventDataJson('INVOICE_CREATE_INVOICE', ctx())).toContain('"amount":1.000000000000000001');
    expect(eventDataJson('INVOICE_CREATE_INVOICE', ctx())).toContain('"amountPaid":0,');
  });

  it('names only Calypso’s intervention types in interventionType, every reason in interventionReason', () => {
    const data = (type: 'UNDERPAY' | 'MULTIPLE_SENDERS' | 'LATE_PAYMENT') => eventData('INVOICE_PENDING_INTERVENTION', ctx({ state: 'PENDING_INTERVENTION', intervention_type: type }));
    expect(data('UNDERPAY')).toMatchObject({ interventionType: 'UNDERPAY', interventionReason: 'UNDERPAY' });
    expect(data('MULTIPLE_SENDERS')).toMatchObject({ interventionType: undefined, interventionReason: 'MULTIPLE_SENDERS' });
    expect(JSON.parse(eventDataJson('INVOICE_PENDING_INTERVENTION', ctx({ state: 'PENDING_INTERVENTION', intervention_type: 'LATE_PAYMENT' })))).not.toHaveProperty('interventionType');
  });

  it('starts the body with Calypso’s envelope fields in order', () => {
    const body = renderBody({ requestId: 'r-1', deliveryId: 9, createdAt: row.created_at, level: 'SUCCESS', eventType: 'INVOICE_CREATE_INVOICE', data: eventDataJson('INVOICE_CREATE_INVOICE', ctx()) });
    expect(body.startsWith('{"requestId":"r-1","id":9,"createdDate":"2026-11-24T12:00:00.000Z","level":"SUCCESS","service":"INVOICE","eventType":"INVOICE_CREATE_INVOICE","data":{')).toBe(true);
  });
});
