import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, harnessPerTest } from './testing/harness';
import { startReceiver, type Receiver } from './webhooks/test-receiver';

const HOUR_MS = 60 * 60 * 1000;

describe('runtime', () => {
  let receiver: Receiver;
  const h = harnessPerTest(() => ({ clock: new FakeClock(Math.floor(Date.now() / 1000) * 1000) }));
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('sends the creation webhook at once, not at the webhook worker’s next poll', async () => {
    const res = await h.call('/api/v1/subscription/webhook/create', { url: receiver.url, notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    expect(res.status).toBe(200);
    // The worker looks for due deliveries once an hour: only the engine's wake-up can send this one within the wait.
    h.start({ webhookPollMs: HOUR_MS });
    const invoice = await h.createInvoice();
    await receiver.waitFor((r) => r.length === 1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ eventType: 'INVOICE_CREATE_INVOICE', data: { parentExternalId: invoice.id } });
  });

  it('publishes a new invoice on the bus once, not again when its idempotency key returns it', async () => {
    const heard: { invoiceId: string; version: number; state: string }[] = [];
    h.bus.subscribeAll((e) => heard.push(e));
    const first = await h.createInvoice({ idempotencyKey: 'order-7' });
    await h.createInvoice({ idempotencyKey: 'order-7' });
    // No webhook subscription: nothing for the delivery worker to look for.
    expect(heard).toEqual([{ invoiceId: first.id, version: 1, state: 'PENDING_PAYMENT', webhooks: false }]);
    // With one for the event, the change says so, and the worker is woken.
    await h.client.createWebhookSubscription({ url: 'http://127.0.0.1:9/hooks', notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    const second = await h.createInvoice();
    expect(heard.at(-1)).toEqual({ invoiceId: second.id, version: 1, state: 'PENDING_PAYMENT', webhooks: true });
  });

  it('stops its loops on stop() and keeps the database open until close()', async () => {
    h.start({ sandboxAutoMineMs: 10 });
    await waitFor(() => h.engine.chainHeight('sandbox'), (height) => height >= 2);
    await h.stop();
    const stoppedAt = await h.engine.chainHeight('sandbox');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.engine.chainHeight('sandbox')).toBe(stoppedAt);
  });
});

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
