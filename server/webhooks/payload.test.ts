import { describe, expect, it } from 'vitest';
import type { InvoicesTable } from '../db/schema';
import { CurrencyTable } from '../money/currencies';
import { webhookEventSchema } from './event-schema';
import { eventDataJson, renderBody } from './payload';

const eth = new CurrencyTable([]).find('ETH')!;
const row: InvoicesTable = {
  id: 'inv_1',
  account: '0x' + '1'.repeat(40),
  idempotency_key: 'key-1',
  request_hash: 'h',
  currency: 'ETH',
  network: 'ethereum',
  chain: 'sandbox',
  address: '0x' + 'ab'.repeat(20),
  address_index: 0,
  amount: '1000000000000000001',
  amount_paid: '0',
  overpay_tolerance: '0',
  state: 'PENDING_PAYMENT',
  intervention_type: null,
  resolution: null,
  archived_by_merchant: 0,
  confirmations: 0,
  paid_confirmations: 1,
  final_confirmations: 3,
  last_deposit_hash: null,
  description: 'Order "7" ✓',
  external_id: null,
  return_url: null,
  support_url: null,
  logo_url: null,
  created_at: Date.parse('2026-11-24T12:00:00.000Z'),
  expires_at: Date.parse('2026-11-25T12:00:00.000Z'),
  updated_at: Date.parse('2026-11-24T12:00:00.000Z'),
  version: 1,
};

describe('webhook body', () => {
  const body = renderBody({ requestId: 'r-1', deliveryId: 9, createdAt: row.created_at, level: 'SUCCESS', eventType: 'INVOICE_CREATE_INVOICE', data: eventDataJson(row, eth) });

  it('is valid JSON of the published schema', () => {
    const parsed = webhookEventSchema.parse(JSON.parse(body));
    expect(parsed).toMatchObject({ requestId: 'r-1', id: 9, service: 'INVOICE', data: { id: 'inv_1', type: 'SINGLE', parentExternalId: null, externalId: null, invoiceAddress: '0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB' } });
  });

  it('writes amounts as JSON numbers with their exact decimal text', () => {
    expect(body).toContain('"amount":1.000000000000000001,"amountPaid":0,');
  });

  it('names only Calypso’s intervention types in interventionType, every reason in interventionReason', () => {
    const data = (type: string) => webhookEventSchema.shape.data.parse(JSON.parse(eventDataJson({ ...row, state: 'PENDING_INTERVENTION', intervention_type: type }, eth)));
    expect(data('UNDERPAY')).toMatchObject({ interventionType: 'UNDERPAY', interventionReason: 'UNDERPAY' });
    expect(data('MULTIPLE_SENDERS')).toMatchObject({ interventionType: null, interventionReason: 'MULTIPLE_SENDERS' });
    expect(data('LATE_PAYMENT')).toMatchObject({ interventionType: null, interventionReason: 'LATE_PAYMENT' });
  });

  it('starts with Calypso’s envelope fields in order', () => {
    expect(body.startsWith('{"requestId":"r-1","id":9,"createdDate":"2026-11-24T12:00:00.000Z","level":"SUCCESS","service":"INVOICE","eventType":"INVOICE_CREATE_INVOICE","data":{')).toBe(true);
  });
});
