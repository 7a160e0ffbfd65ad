import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { FakeClock, harnessPerTest, silentLog } from '../testing/harness';
import { RETRY_SCHEDULE_MS } from './schedule';
import { secretContext } from '../secrets/columns';
import { createSubscription } from './subscriptions';
import { systemLookup, type LookupFn, type TargetPolicy } from './targets';
import { waitFor } from '../testing/wait-for';
import { startReceiver, type ReceivedRequest, type Receiver } from './test-receiver';
import { createDeliveryWorker, type DeliveryWorker, type WorkerOptions } from './worker';

interface Subscription {
  requestId: string;
  publicKey: string;
  secretKey: string;
}

const LIFE = ['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND', 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PAID', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED'];

/**
 * Checks a delivery as a merchant would, with nothing from Payframe: node's
 * HMACs, and the standardwebhooks library while the (fake) clock is near
 * enough to the real time for its 5-minute tolerance.
 */
function verifyIndependently(r: ReceivedRequest, sub: Subscription) {
  expect(r.headers.key).toBe(sub.publicKey);
  expect(r.headers.sign).toBe(createHmac('sha512', sub.secretKey).update(r.body).digest('hex'));
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  const v1 = createHmac('sha256', Buffer.from(sub.secretKey.slice('whsec_'.length), 'base64')).update(signed).digest('base64');
  expect(r.headers['webhook-signature']!.split(' ')).toContain(`v1,${v1}`);
  if (Math.abs(Number(r.headers['webhook-timestamp']) * 1000 - Date.now()) < 4 * 60_000) {
    expect(new Webhook(sub.secretKey).verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
  }
  expect(r.headers['webhook-id']).toBe(String(JSON.parse(r.body).id));
}

const parsed = (r: ReceivedRequest) => JSON.parse(r.body) as { id: number; requestId: string; eventType: string; data: Record<string, unknown> };
const typesOf = (list: ReceivedRequest[]) => list.map((r) => parsed(r).eventType);

describe('webhook delivery worker', () => {
  let receiver: Receiver;
  let worker: DeliveryWorker;
  const workers: DeliveryWorker[] = [];
  const allowLocal: TargetPolicy = { allowPrivate: true, lookup: systemLookup };
  const newWorker = (over: Partial<WorkerOptions> = {}) => {
    const w = createDeliveryWorker({ db: h.db, secrets: h.secrets, clock: h.clock, log: silentLog, targets: allowLocal, random: () => 0, ...over });
    workers.push(w);
    return w;
  };

  // Near the real time, whole seconds: the standardwebhooks library checks webhook-timestamp against Date.now().
  const h = harnessPerTest(() => ({ clock: new FakeClock(Math.floor(Date.now() / 1000) * 1000) }));
  beforeEach(async () => {
    receiver = await startReceiver();
    worker = newWorker();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await receiver.close();
  });

  const subscribe = async (payload: Record<string, unknown> = {}, merchant = h.merchant): Promise<Subscription> => {
    // Every event, Payframe's own two included (the INVOICE group is Calypso's events only).
    const types = payload.notificationEventTypes ? {} : { notificationEventTypes: WEBHOOK_EVENT_TYPES };
    const res = await h.call('/api/v1/subscription/webhook/create', { url: receiver.url, ...types, ...payload }, { merchant });
    expect(res.status).toBe(200);
    return (await res.json()) as Subscription;
  };
  const deliveries = async (payload: Record<string, unknown> = {}) => {
    const res = await h.call('/api/v1/subscription/webhook/deliveries', payload);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      items: { id: number; status: string; eventType: string; attemptCount: number; attempts: { date: string; ok: boolean; statusCode: number | null; error: string | null; response: string | null }[] }[];
    };
  };
  const driveThroughLife = async (invoice: { invoiceAddress: string }, between: () => Promise<unknown> = async () => undefined) => {
    await between();
    await h.pay(invoice.invoiceAddress, '0.01');
    await between();
    await h.mine();
    await between();
    await h.mine(2);
    await between();
  };

  it('delivers an invoice’s whole life in order, every delivery verifiable with plain HMAC-SHA512 and with standardwebhooks', async () => {
    const sub = await subscribe();
    const invoice = await h.createInvoice({ amount: 0.01, externalId: 'order-1' });
    await driveThroughLife(invoice, () => worker.runDue());
    expect(typesOf(receiver.received)).toEqual(LIFE);
    for (const r of receiver.received) verifyIndependently(r, sub);

    const events = receiver.received.map(parsed);
    expect(new Set(events.map((e) => e.id)).size).toBe(LIFE.length);
    expect(events.map((e) => e.data.state)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PAID', 'COMPLETED']);
    expect(events[0]).toMatchObject({ requestId: sub.requestId, level: 'SUCCESS', service: 'INVOICE' });
    expect(events[3]!.data).toMatchObject({ type: 'INVOICE_PAID', invoiceType: 'SINGLE', parentExternalId: invoice.id, externalId: 'order-1', idempotencyKey: invoice.idempotencyKey, currency: 'ETH', invoiceAddress: invoice.invoiceAddress });
    // Amounts are JSON numbers written from the exact decimal text.
    expect(receiver.received[3]!.body).toContain('"amountPaid":0.01,');
    expect(receiver.received[3]!.body).toContain('"amount":0.01,"realAmount":0.01,');
  });

  it('keeps the order when the whole life is queued before the worker runs', async () => {
    await subscribe();
    const a = await h.createInvoice({ amount: 0.01 });
    const b = await h.createInvoice({ amount: 0.01 });
    await driveThroughLife(a);
    await driveThroughLife(b);
    expect(await worker.runDue()).toBe(2 * LIFE.length);
    for (const invoice of [a, b]) expect(typesOf(receiver.received.filter((r) => parsed(r).data.parentExternalId === invoice.id))).toEqual(LIFE);
  });

  it('retries a receiver that fails three times and delivers on the 4th attempt at the scheduled times, with every attempt in the log', async () => {
    receiver.respond = (r) => (r.n <= 3 ? { status: 500, body: 'down for maintenance' } : 200);
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    const t0 = h.clock.now();
    await h.createInvoice();
    const at = (expected: number) => async () => {
      h.clock.time = t0 + expected - 1;
      expect(await worker.runDue()).toBe(0);
      h.clock.time = t0 + expected;
      expect(await worker.runDue()).toBe(1);
    };
    expect(await worker.runDue()).toBe(1);
    await at(30_000)();
    await at(60_000)();
    await at(120_000)();
    expect(RETRY_SCHEDULE_MS.slice(0, 3)).toEqual([30_000, 30_000, 60_000]);

    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(receiver.received.map((r) => Number(r.headers['webhook-timestamp']) * 1000 - t0)).toEqual([0, 30_000, 60_000, 120_000]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);

    const [delivery] = (await deliveries()).items;
    expect(delivery).toMatchObject({ status: 'DELIVERED', attemptCount: 4, eventType: 'INVOICE_CREATE_INVOICE' });
    expect(delivery!.attempts.map((a) => [Date.parse(a.date) - t0, a.statusCode, a.ok])).toEqual([
      [0, 500, false],
      [30_000, 500, false],
      [60_000, 500, false],
      [120_000, 200, true],
    ]);
    expect(delivery!.attempts[0]!.response).toBe('down for maintenance');
  });

  it('adds jitter of at most 10 % to a wait', async () => {
    worker = newWorker({ random: () => 0.5 });
    receiver.respond = () => 503;
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    const t0 = h.clock.now();
    await h.createInvoice();
    await worker.runDue();
    h.clock.time = t0 + 31_499;
    expect(await worker.runDue()).toBe(0);
    h.clock.time = t0 + 31_500;
    expect(await worker.runDue()).toBe(1);
  });

  it('holds an invoice’s later events while an earlier one is undelivered, without holding other invoices', async () => {
    await subscribe();
    const a = await h.createInvoice();
    receiver.respond = (r) => (parsed(r).data.parentExternalId === a.id ? 500 : 200);
    await h.pay(a.invoiceAddress, '0.01');
    const b = await h.createInvoice();
    await worker.runDue();
    expect(receiver.received.map((r) => [parsed(r).data.parentExternalId, parsed(r).eventType, r.status])).toEqual([
      [a.id, 'INVOICE_CREATE_INVOICE', 500],
      [b.id, 'INVOICE_CREATE_INVOICE', 200],
    ]);
    receiver.respond = () => 200;
    h.clock.advance(30_000);
    await worker.runDue();
    expect(typesOf(receiver.received.filter((r) => parsed(r).data.parentExternalId === a.id && r.status === 200))).toEqual(['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND']);
  });

  it('gives a delivery up after the 19th retry, lets the invoice’s next events go, and redelivers it on request', async () => {
    const sub = await subscribe();
    const invoice = await h.createInvoice();
    receiver.respond = (r) => (parsed(r).eventType === 'INVOICE_CREATE_INVOICE' ? 500 : 200);
    await h.pay(invoice.invoiceAddress, '0.01');
    await worker.runDue();
    for (const wait of RETRY_SCHEDULE_MS) {
      h.clock.advance(wait);
      await worker.runDue();
    }
    const creates = receiver.received.filter((r) => parsed(r).eventType === 'INVOICE_CREATE_INVOICE');
    expect(creates).toHaveLength(20);
    // The next event went out as soon as the first was given up.
    expect(typesOf(receiver.received.filter((r) => r.status === 200))).toEqual(['INVOICE_MEMPOOL_FOUND']);
    const log = await deliveries({ status: 'FAILED' });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ eventType: 'INVOICE_CREATE_INVOICE', attemptCount: 20 });

    receiver.respond = () => 200;
    const res = await h.call('/api/v1/subscription/webhook/redeliver', { id: log.items[0]!.id });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'PENDING', attemptCount: 20 });
    await worker.runDue();
    const last = receiver.received.at(-1)!;
    expect(last.status).toBe(200);
    expect(last.body).toBe(creates[0]!.body);
    verifyIndependently(last, sub);
    expect((await deliveries({ status: 'DELIVERED' })).items.map((d) => d.eventType).sort()).toEqual(['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND']);
  });

  it('marks a subscription whose deliveries are given up, and clears the mark on the next 2xx', async () => {
    const w = newWorker({ scheduleMs: [1000] });
    receiver.respond = () => 500;
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    await h.createInvoice();
    await w.runDue();
    h.clock.advance(1000);
    await w.runDue();
    const list = async () => ((await (await h.call('/api/v1/subscription/webhook', {})).json()) as { subscriptions: Record<string, unknown>[] }).subscriptions[0];
    expect(await list()).toMatchObject({ blockedByErrorCount: true, consecutiveFailures: 2 });
    receiver.respond = () => 200;
    await h.createInvoice();
    await w.runDue();
    expect(await list()).toMatchObject({ blockedByErrorCount: false, consecutiveFailures: 0, failingSince: null });
  });

  it('marks a subscription after more than 100 failed attempts within 10 minutes, and keeps delivering to it', async () => {
    const w = newWorker({ scheduleMs: Array(200).fill(1000) });
    receiver.respond = () => 500;
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    await h.createInvoice();
    const blocked = async () => (await h.db.selectFrom('webhook_subscriptions').select('blocked_at').executeTakeFirstOrThrow()).blocked_at;
    for (let i = 0; i < 100; i++) {
      await w.runDue();
      h.clock.advance(1000);
    }
    expect(await blocked()).toBeNull();
    await w.runDue();
    expect(await blocked()).toBe(h.clock.now());
    h.clock.advance(1000);
    expect(await w.runDue()).toBe(1);
  });

  it('refuses at delivery time a host that now resolves to a private address (DNS rebinding)', async () => {
    const row = await createSubscription(h.db, h.secrets, { account: h.merchant.account, url: `http://rebind.example:${receiver.port}/hook`, eventTypes: ['INVOICE_CREATE_INVOICE'], now: h.clock.now() });
    expect(row.url).toContain('rebind.example');
    const strict = newWorker({ targets: { allowPrivate: false, lookup: async () => [{ address: '127.0.0.1', family: 4 }] } });
    await h.createInvoice();
    expect(await strict.runDue()).toBe(1);
    expect(receiver.received).toHaveLength(0);
    const [attempt] = (await deliveries()).items[0]!.attempts;
    expect(attempt).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining('127.0.0.1, a loopback address') });
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    await createSubscription(h.db, h.secrets, { account: h.merchant.account, url: `http://pinned.example:${receiver.port}/hook`, eventTypes: ['INVOICE_CREATE_INVOICE'], now: h.clock.now() });
    let lookups = 0;
    const w = newWorker({
      targets: {
        allowPrivate: true,
        lookup: async () => {
          lookups++;
          return [{ address: '127.0.0.1', family: 4 }];
        },
      },
    });
    await h.createInvoice();
    await w.runDue();
    expect(lookups).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.host).toBe(`pinned.example:${receiver.port}`);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.respond = () => ({ status: 307, headers: { location: elsewhere.url } });
      await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
      await h.createInvoice();
      await worker.runDue();
      expect(elsewhere.received).toHaveLength(0);
      expect((await deliveries()).items[0]).toMatchObject({ status: 'PENDING', attempts: [{ ok: false, statusCode: 307 }] });
    } finally {
      await elsewhere.close();
    }
  });

  it('gives up on an attempt that gets no answer within the timeout', async () => {
    const w = newWorker({ timeoutMs: 200 });
    receiver.respond = () => 'hang';
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    await h.createInvoice();
    await w.runDue();
    expect((await deliveries()).items[0]!.attempts[0]).toMatchObject({ ok: false, statusCode: null, error: 'no complete answer within 0.2 s' });
  });

  it('counts the DNS lookup against the deadline: a slow resolver does not hold the delivery', async () => {
    await createSubscription(h.db, h.secrets, { account: h.merchant.account, url: `http://slow-dns.example:${receiver.port}/hook`, eventTypes: ['INVOICE_CREATE_INVOICE'], now: h.clock.now() });
    // A resolver that never answers: runDue can only return if the 0.2 s deadline covers the lookup too.
    const slowLookup: LookupFn = () => new Promise(() => undefined);
    const w = newWorker({ timeoutMs: 200, targets: { allowPrivate: true, lookup: slowLookup } });
    await h.createInvoice();
    let attempted: number | undefined;
    void w.runDue().then((n) => (attempted = n));
    await waitFor(() => attempted !== undefined, { what: 'runDue to give up on a lookup that never answers' });
    expect(attempted).toBe(1);
    expect(receiver.received).toHaveLength(0);
    expect((await deliveries()).items[0]).toMatchObject({
      status: 'PENDING',
      attempts: [{ ok: false, statusCode: null, error: 'the host slow-dns.example did not resolve within 0.2 s' }],
    });
  });

  it('keeps delivering other invoices while a request to the receiver hangs', async () => {
    // a's attempt outlasts any wait below (stop() aborts it), so b is delivered while a hangs however slow the machine.
    const w = newWorker({ timeoutMs: 120_000 });
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    const a = await h.createInvoice();
    receiver.respond = (r) => (parsed(r).data.parentExternalId === a.id ? 'hang' : 200);
    w.start(20);
    await receiver.waitFor((all) => all.some((r) => parsed(r).data.parentExternalId === a.id));
    const b = await h.createInvoice();
    await receiver.waitFor((all) => all.some((r) => parsed(r).data.parentExternalId === b.id));
    expect(receiver.received.map((r) => [parsed(r).data.parentExternalId, r.status])).toEqual([
      [a.id, 0],
      [b.id, 200],
    ]);
    await w.stop();
  });

  it('keeps only the first 256 characters of a response body', async () => {
    receiver.respond = () => ({ status: 500, body: 'x'.repeat(100_000) });
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    await h.createInvoice();
    await worker.runDue();
    expect((await deliveries()).items[0]!.attempts[0]!.response).toBe('x'.repeat(256));
  });

  it('records a refused connection as a failed attempt', async () => {
    const closed = await startReceiver();
    await closed.close();
    await subscribe({ url: closed.url, notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    await h.createInvoice();
    await worker.runDue();
    expect((await deliveries()).items[0]!.attempts[0]).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('sends each subscription only the event types it asked for, signed with its own secret', async () => {
    const paidOnly = await subscribe({ notificationEventTypes: ['INVOICE_PAID'] });
    const all = await subscribe();
    const invoice = await h.createInvoice();
    await driveThroughLife(invoice);
    await worker.runDue();
    const of = (sub: Subscription) => receiver.received.filter((r) => parsed(r).requestId === sub.requestId);
    expect(typesOf(of(paidOnly))).toEqual(['INVOICE_PAID']);
    expect(typesOf(of(all))).toEqual(LIFE);
    for (const r of of(paidOnly)) verifyIndependently(r, paidOnly);
    for (const r of of(all)) verifyIndependently(r, all);
  });

  it('signs with the old secret too for a day after a rotation, then with the new one alone, and erases the old one', async () => {
    const old = await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    const res = await h.call('/api/v1/subscription/webhook/regenerate-keys', { requestId: old.requestId });
    const fresh = (await res.json()) as Subscription;
    expect(fresh.secretKey).not.toBe(old.secretKey);
    expect(fresh.publicKey).not.toBe(old.publicKey);
    await h.createInvoice();
    await worker.runDue();
    const [r] = receiver.received;
    verifyIndependently(r!, fresh);
    expect(new Webhook(old.secretKey).verify(r!.body, r!.headers)).toBeTruthy();
    const previousSecret = async () => {
      const row = await h.db.selectFrom('webhook_subscriptions').select(['public_key', 'previous_secret_key']).executeTakeFirstOrThrow();
      return row.previous_secret_key && h.secrets.open(row.previous_secret_key, secretContext.previousWebhookSecret(row.public_key));
    };
    expect(await previousSecret()).toBe(old.secretKey);

    h.clock.advance(24 * 60 * 60 * 1000 + 1);
    await worker.runDue();
    expect(await previousSecret()).toBeNull();
    await h.createInvoice();
    await worker.runDue();
    const later = receiver.received[1]!;
    expect(later.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(later.headers.sign).toBe(createHmac('sha512', fresh.secretKey).update(later.body).digest('hex'));
  });

  it('emits INVOICE_PENDING_INTERVENTION with the intervention type, INVOICE_EXPIRED and INVOICE_ARCHIVED', async () => {
    await subscribe();
    const under = await h.createInvoice({ amount: 1 });
    await h.pay(under.invoiceAddress, '0.6');
    await h.mine();
    const expiring = await h.createInvoice();
    const archived = await h.createInvoice();
    expect((await h.call('/api/v1/invoice/archive', { id: archived.id })).status).toBe(200);
    h.clock.advance(24 * 60 * 60 * 1000);
    await h.engine.expireDue();
    await worker.runDue();
    const of = (id: string) => receiver.received.filter((r) => parsed(r).data.parentExternalId === id);
    expect(typesOf(of(under.id))).toEqual(['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND', 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PENDING_INTERVENTION']);
    expect(parsed(of(under.id)[3]!)).toMatchObject({ level: 'WARNING', data: { interventionType: 'UNDERPAY', amountPaid: 0.6 } });
    expect(typesOf(of(expiring.id))).toEqual(['INVOICE_CREATE_INVOICE', 'INVOICE_EXPIRED']);
    expect(typesOf(of(archived.id))).toEqual(['INVOICE_CREATE_INVOICE', 'INVOICE_ARCHIVED']);
  });

  it('stops sending a deleted subscription’s deliveries', async () => {
    const sub = await subscribe();
    await h.createInvoice();
    expect(await h.client.deleteWebhookSubscription({ requestId: sub.requestId })).toEqual({});
    expect(await worker.runDue()).toBe(0);
    expect((await deliveries()).items[0]).toMatchObject({ status: 'CANCELLED' });
  });

  it('writes no event when the merchant has no subscription', async () => {
    await h.createInvoice();
    expect(await h.db.selectFrom('webhook_events').selectAll().execute()).toEqual([]);
  });

  it('runs in the background once started, and stops cleanly', async () => {
    await subscribe({ notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
    worker.start(20);
    await h.createInvoice();
    await receiver.waitFor((r) => r.length === 1);
    await worker.stop();
    await h.createInvoice();
    // Stopped means stopped: even asked to, it delivers nothing more (and runDue waits for any work still running).
    expect(await worker.runDue()).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });
});
