/**
 * The demo shop fulfils orders from Payframe's webhooks alone: a real
 * Payframe runtime (SQLite, sandbox chain, delivery worker) delivers over
 * HTTP to the shop listening on a real port.
 */
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, harnessPerTest } from '../server/testing/harness';
import { calypsoSign, standardSignature } from '../contract/signatures';
import { createPayframeClient, type PayframeClient } from './payframe-client';
import { createShop } from './shop';
import { WEBHOOK_PATH } from './webhooks';

interface OrderJson {
  id: string;
  invoiceId: string;
  paid: boolean;
  completed: boolean;
  events: { id: number; eventType: string; state: string }[];
}

describe('demo shop: orders are paid by webhooks', () => {
  let payframe: PayframeClient;
  let shop: ReturnType<typeof createShop>;
  let server: ServerType;
  let secretKey: string;
  let requestId: string;
  let webhookUrl: string;

  // Near the real time: the shop checks webhook-timestamp against its own clock.
  const h = harnessPerTest(() => ({ clock: new FakeClock(Date.now()) }));
  beforeEach(async () => {
    h.webhooks.start();
    payframe = createPayframeClient({
      apiUrl: 'http://payframe.test',
      credentials: h.merchant,
      fetch: (input, init) => Promise.resolve(h.app.request(String(input), init)),
    });
    // Port 0, read back: the webhook URL needs the port, and the shop (made below) needs the subscription's secret.
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: (req) => shop.fetch(req), port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
    });
    webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
    ({ secretKey, requestId } = await payframe.subscribeWebhooks(webhookUrl, 'demo-shop-test'));
    shop = createShop({ payframe, payframeUrl: 'http://payframe.test', shopOrigin: 'http://shop.test', webhookSecret: secretKey });
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const placeOrder = async (product = 'pour-over-kit') => {
    const res = await shop.request('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ product }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { orderId: string; invoiceId: string };
  };
  const order = async (id: string) => (await (await shop.request(`/orders/${id}`)).json()) as OrderJson;
  const waitForOrder = async (id: string, predicate: (o: OrderJson) => boolean) => {
    await expect.poll(async () => predicate(await order(id)), { interval: 25 }).toBe(true);
    return order(id);
  };
  const addressOf = async (invoiceId: string) => (await payframe.checkoutView(invoiceId)).address;
  const deliveries = async () => {
    const res = await h.call('/api/v1/subscription/webhook/deliveries', { requestId });
    return ((await res.json()) as { items: { id: number; eventType: string; status: string; invoiceId: string; attemptCount: number }[] }).items;
  };
  /** A delivery as Payframe would sign it, with `secret`. */
  const forged = (secret: string, body: string, seconds = Math.floor(Date.now() / 1000)) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': '1', 'webhook-timestamp': String(seconds), 'webhook-signature': standardSignature(secret, '1', seconds, body) },
    body,
  });

  it('subscribing again with the same name and URL answers the same secret', async () => {
    expect(secretKey).toMatch(/^whsec_/);
    expect((await payframe.subscribeWebhooks(webhookUrl, 'demo-shop-test')).secretKey).toBe(secretKey);
  });

  it('replaces a subscription of an earlier shop version (other events) to the same URL instead of failing', async () => {
    // What an older demo left in ./data: its own name, fewer events, the same URL.
    const old = await h.call('/api/v1/subscription/webhook/create', { requestId: 'demo-shop-test', url: webhookUrl, notificationEventTypes: ['INVOICE_PAID'] });
    expect(old.status).toBe(200);
    const elsewhere = await h.call('/api/v1/subscription/webhook/create', { requestId: 'other-app', url: 'http://127.0.0.1:9/hooks', notificationEventTypes: ['INVOICE_PAID'] });
    expect(elsewhere.status).toBe(200);

    const again = await payframe.subscribeWebhooks(webhookUrl, 'demo-shop-test');
    expect(again).toMatchObject({ requestId, secretKey });
    const list = (await (await h.call('/api/v1/subscription/webhook', {})).json()) as { subscriptions: { requestId: string }[] };
    expect(list.subscriptions.map((s) => s.requestId).sort()).toEqual([requestId, 'other-app'].sort());
  });

  it('marks an order paid only when the INVOICE_PAID webhook arrives, and completed at the final depth', async () => {
    const { orderId, invoiceId } = await placeOrder();
    await h.pay(await addressOf(invoiceId), '0.0125');
    // In the mempool: the shop is told (payment seen), but the order is not paid.
    expect((await payframe.checkoutView(invoiceId)).state).toBe('MEM_POOL_FOUND');
    await h.webhooks.runDue();
    expect(await order(orderId)).toMatchObject({ paymentSeen: true, paid: false, completed: false, events: [{ eventType: 'INVOICE_MEMPOOL_FOUND', state: 'MEM_POOL_FOUND' }] });
    const thanks = await (await shop.request(`/thanks?order=${orderId}`)).text();
    expect(thanks).toContain('data-order-paid="false" data-order-completed="false" data-payment-seen="true"');
    expect(thanks).toContain('We see your payment on its way');

    await h.mine(1);
    const paid = await waitForOrder(orderId, (o) => o.paid);
    expect(paid).toMatchObject({ invoiceId, completed: false });
    expect(paid.events.map((e) => e.eventType)).toEqual(['INVOICE_MEMPOOL_FOUND', 'INVOICE_PAID']);
    expect(await (await shop.request(`/thanks?order=${orderId}`)).text()).toContain('data-order-paid="true" data-order-completed="false"');

    await h.mine(2);
    const done = await waitForOrder(orderId, (o) => o.completed);
    expect(done.events.map((e) => [e.eventType, e.state])).toEqual([
      ['INVOICE_MEMPOOL_FOUND', 'MEM_POOL_FOUND'],
      ['INVOICE_PAID', 'PAID'],
      ['INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED', 'COMPLETED'],
    ]);
  });

  it('applies a redelivered event once', async () => {
    const { orderId, invoiceId } = await placeOrder();
    await h.pay(await addressOf(invoiceId), '0.0125');
    await h.mine(1);
    const { events } = await waitForOrder(orderId, (o) => o.paid);
    // The order is paid as the shop takes the request; Payframe records the delivery once the answer is back.
    const paidDelivery = async () => (await deliveries()).find((d) => d.eventType === 'INVOICE_PAID' && d.invoiceId === invoiceId);
    await expect.poll(async () => (await paidDelivery())?.status).toBe('DELIVERED');
    const delivery = (await paidDelivery())!;

    const res = await h.call('/api/v1/subscription/webhook/redeliver', { id: delivery.id });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await deliveries()).find((d) => d.id === delivery.id))
      .toMatchObject({ status: 'DELIVERED', attemptCount: delivery.attemptCount + 1 });
    expect((await order(orderId)).events).toEqual(events);
  });

  it('takes an order back to unpaid when a reorg reverses its payment, and pays it again when the payment is mined again', async () => {
    const { orderId, invoiceId } = await placeOrder();
    await h.pay(await addressOf(invoiceId), '0.0125');
    await h.mine(1);
    await waitForOrder(orderId, (o) => o.paid);

    const reorg = await h.app.request('/api/sandbox/reorg', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ depth: 1 }) });
    expect(reorg.status).toBe(200);
    const reversed = await waitForOrder(orderId, (o) => o.events.length === 4);
    expect(reversed).toMatchObject({ paid: false, completed: false });
    expect(reversed.events.map((e) => [e.eventType, e.state])).toEqual([
      ['INVOICE_MEMPOOL_FOUND', 'MEM_POOL_FOUND'],
      ['INVOICE_PAID', 'PAID'],
      ['INVOICE_PAYMENT_REVERSED', 'MEM_POOL_FOUND'],
      ['INVOICE_MEMPOOL_FOUND', 'MEM_POOL_FOUND'],
    ]);

    // The old INVOICE_PAID sent again (a retry, a redelivery) is a duplicate by its id: the order stays unpaid.
    const paidDelivery = (await deliveries()).find((d) => d.eventType === 'INVOICE_PAID' && d.invoiceId === invoiceId)!;
    expect((await h.call('/api/v1/subscription/webhook/redeliver', { id: paidDelivery.id })).status).toBe(200);
    await expect.poll(async () => (await deliveries()).find((d) => d.id === paidDelivery.id)).toMatchObject({ status: 'DELIVERED', attemptCount: paidDelivery.attemptCount + 1 });
    expect(await order(orderId)).toEqual(reversed);

    await h.mine(1);
    const repaid = await waitForOrder(orderId, (o) => o.paid);
    expect(repaid.events.map((e) => e.eventType)).toEqual([...reversed.events.map((e) => e.eventType), 'INVOICE_PAID']);
  });

  it('refuses deliveries that are not signed with its secret, and they change nothing', async () => {
    const { orderId, invoiceId } = await placeOrder();
    const body = JSON.stringify({
      requestId,
      id: 999_999,
      createdDate: new Date().toISOString(),
      level: 'SUCCESS',
      service: 'INVOICE',
      eventType: 'INVOICE_PAID',
      data: { type: 'INVOICE_PAID', parentExternalId: invoiceId, idempotencyKey: orderId, externalId: orderId, state: 'PAID' },
    });
    const otherSecret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    const calypsoOnly = { method: 'POST', headers: { 'content-type': 'application/json', Sign: calypsoSign(otherSecret, body) }, body };
    const attempts = [
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      forged(otherSecret, body),
      calypsoOnly,
      // The right secret ten minutes ago: a captured delivery replayed.
      forged(secretKey, body, Math.floor(Date.now() / 1000) - 600),
      // The right secret over other bytes.
      { ...forged(secretKey, body), body: body.replace('"PAID"}', '"PAID" }') },
    ];
    for (const init of attempts) {
      const res = await shop.request(WEBHOOK_PATH, init);
      expect(res.status, JSON.stringify(init.headers)).toBe(400);
    }
    expect(await order(orderId)).toMatchObject({ paid: false, events: [] });
  });

  it('ignores a paid invoice that carries the order id but is not the order’s invoice', async () => {
    const { orderId } = await placeOrder();
    // Same merchant account, same externalId, another invoice: paying it must not pay the order.
    const other = await h.createInvoice({ externalId: orderId, amount: 0.0125 });
    await h.pay(other.invoiceAddress, '0.0125');
    await h.mine(1);
    await expect.poll(async () => (await deliveries()).some((d) => d.invoiceId === other.id && d.eventType === 'INVOICE_PAID' && d.status === 'DELIVERED')).toBe(true);
    expect(await order(orderId)).toMatchObject({ paid: false, events: [] });
  });
});
