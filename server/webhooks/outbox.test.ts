import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness';

describe('webhook outbox (events written by the engine)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    const res = await h.call('/api/v1/subscription/webhook/create', { url: 'http://127.0.0.1:9/hook', notificationServiceTypes: ['INVOICE'] });
    expect(res.status).toBe(200);
  });
  afterEach(async () => {
    await h.destroy();
  });

  const events = async (invoiceId: string) =>
    (await h.db.selectFrom('webhook_events').select(['event_type', 'data']).where('invoice_id', '=', invoiceId).orderBy('id').execute()).map((e) => {
      const data = JSON.parse(e.data) as { state: string; amountPaid: number; interventionType: string | null };
      return `${e.event_type} ${data.state}${data.interventionType ? `/${data.interventionType}` : ''} ${data.amountPaid}`;
    });

  it('reports each credited payment of an underpaid invoice and its top-up', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.6');
    await h.mine();
    await h.pay(inv.invoiceAddress, '0.4');
    await h.mine(3);
    expect(await events(inv.id)).toEqual([
      'INVOICE_CREATE_INVOICE PENDING_PAYMENT 0',
      'INVOICE_MEMPOOL_FOUND MEM_POOL_FOUND 0.6',
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE PENDING_INTERVENTION/UNDERPAY 0.6',
      'INVOICE_PENDING_INTERVENTION PENDING_INTERVENTION/UNDERPAY 0.6',
      'INVOICE_MEMPOOL_FOUND MEM_POOL_FOUND 1',
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE PAID 1',
      'INVOICE_PAID PAID 1',
      'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED COMPLETED 1',
    ]);
  });

  it('reports a payment again when a reorg unconfirms it and it is mined again', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await h.pay(inv.invoiceAddress, '0.01');
    await h.mine();
    await h.sandbox!.reorg(1);
    await h.mine();
    expect((await events(inv.id)).slice(1)).toEqual([
      'INVOICE_MEMPOOL_FOUND MEM_POOL_FOUND 0.01',
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE PAID 0.01',
      'INVOICE_PAID PAID 0.01',
      'INVOICE_MEMPOOL_FOUND MEM_POOL_FOUND 0.01',
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE PAID 0.01',
      'INVOICE_PAID PAID 0.01',
    ]);
  });

  it('reports INVOICE_PAID before completion when an accepted intervention completes at once', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.6');
    await h.mine(3);
    expect((await h.call('/api/v1/invoice/intervention/resolve', { id: inv.id, action: 'ACCEPT' })).status).toBe(200);
    expect((await events(inv.id)).slice(-2)).toEqual(['INVOICE_PAID COMPLETED/UNDERPAY 0.6', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED COMPLETED/UNDERPAY 0.6']);
  });

  it('writes no event for a change without a new state or credited funds (a confirmation short of final)', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await h.pay(inv.invoiceAddress, '0.01');
    await h.mine();
    const before = await events(inv.id);
    await h.mine();
    expect(await events(inv.id)).toEqual(before);
  });

  it('writes one delivery per subscription per event, in event order', async () => {
    const second = await h.call('/api/v1/subscription/webhook/create', { url: 'http://127.0.0.1:9/other', notificationEventTypes: ['INVOICE_PAID'] });
    expect(second.status).toBe(200);
    const inv = await h.createInvoice({ amount: 0.01 });
    await h.pay(inv.invoiceAddress, '0.01');
    await h.mine();
    const rows = await h.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.subscription_id', 'e.event_type'])
      .where('d.invoice_id', '=', inv.id)
      .orderBy('d.id')
      .execute();
    expect(rows.map((r) => `${r.subscription_id} ${r.event_type}`)).toEqual([
      '1 INVOICE_CREATE_INVOICE',
      '1 INVOICE_MEMPOOL_FOUND',
      '1 INVOICE_FUNDS_RECEIVED_FOR_INVOICE',
      '1 INVOICE_PAID',
      '2 INVOICE_PAID',
    ]);
  });
});
