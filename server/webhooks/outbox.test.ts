import { beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { harnessPerTest } from '../testing/harness';
import { createTrigger } from '../testing/trigger';

describe('webhook outbox (events written by the engine)', () => {
  const h = harnessPerTest();
  beforeEach(async () => {
    const res = await h.call('/api/v1/subscription/webhook/create', { url: 'http://127.0.0.1:9/hook', notificationEventTypes: WEBHOOK_EVENT_TYPES });
    expect(res.status).toBe(200);
  });

  const events = async (invoiceId: string) =>
    (await h.db.selectFrom('webhook_events').select(['event_type', 'data']).where('invoice_id', '=', invoiceId).orderBy('id').execute()).map((e) => {
      const data = JSON.parse(e.data) as { state: string; amountPaid: number; interventionReason: string | null };
      return `${e.event_type} ${data.state}${data.interventionReason ? `/${data.interventionReason}` : ''} ${data.amountPaid}`;
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
      'INVOICE_PAYMENT_REVERSED MEM_POOL_FOUND 0.01',
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

  it('commits an invoice change only together with its events: a failing event insert rolls the change back', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await h.pay(inv.invoiceAddress, '0.01');
    const invoice = () => h.db.selectFrom('invoices').select(['state', 'version', 'confirmations']).where('id', '=', inv.id).executeTakeFirstOrThrow();
    const before = await invoice();
    expect(before.state).toBe('MEM_POOL_FOUND');
    // In this test's database: the INVOICE_PAID row cannot be written, so the engine's transaction fails after the invoice update.
    await createTrigger(h.db, 'refuse_paid_event', 'BEFORE INSERT ON webhook_events', `NEW.event_type = 'INVOICE_PAID'`, { refuse: 'test: webhook event refused' });

    await expect(h.mine()).rejects.toThrow('test: webhook event refused');
    expect(await invoice()).toEqual(before);
    // INVOICE_FUNDS_RECEIVED_FOR_INVOICE, written before the failing insert, is rolled back with it.
    expect(await events(inv.id)).toEqual(['INVOICE_CREATE_INVOICE PENDING_PAYMENT 0', 'INVOICE_MEMPOOL_FOUND MEM_POOL_FOUND 0.01']);
    const history = await h.db.selectFrom('status_history').select('to_state').where('invoice_id', '=', inv.id).execute();
    expect(history.map((r) => r.to_state)).not.toContain('PAID');
    const payment = await h.db.selectFrom('payments').select('block_number').where('invoice_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(payment.block_number).toBeNull();
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
