/**
 * Replay protection. Calypso's scheme signs only the body, so a captured
 * request could be sent again, or to another route. Requests here are signed
 * as a third-party Calypso client signs them (no `path` in the envelope),
 * except where the test says otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { merchantApi, TIMESTAMP_TOLERANCE_MS, type RouteName } from '../../contract/merchant-api';
import { calypsoSign } from '../../contract/signatures';
import { createMerchant, type NewMerchant } from '../merchants/merchants';
import { createRuntime } from '../runtime';
import { createHarness, FakeClock, type Harness, harnessPerTest, silentLog, testSecrets } from '../testing/harness';

interface Seed {
  invoiceId: string;
  underpaidId: string;
  requestId: string;
  deliveryId: number;
}

/** A valid payload for each route, against the seeded invoices and subscription. */
const payloads: Record<RouteName, (s: Seed) => Record<string, unknown>> = {
  createInvoice: () => ({ amount: 0.02, currency: 'ETH', description: 'Replay me' }),
  createWidget: () => ({ cryptoCurrencies: ['ETH'], fiatAmount: 10, fiatCurrency: 'USD', description: 'Replay me' }),
  findWidget: () => ({ idempotencyKey: 'widget-1' }),
  createFiatInvoice: () => ({ fiatAmount: 10, fiatCurrency: 'USD', currency: 'ETH', description: 'Replay me' }),
  getInvoice: (s) => ({ id: s.invoiceId }),
  listInvoices: () => ({}),
  archiveInvoice: (s) => ({ id: s.invoiceId }),
  resolveIntervention: (s) => ({ id: s.underpaidId, action: 'ACCEPT' }),
  createWebhookSubscription: () => ({ requestId: 'second', url: 'http://127.0.0.1:9/hooks', notificationEventTypes: ['INVOICE_PAID'] }),
  listWebhookSubscriptions: () => ({}),
  deleteWebhookSubscription: (s) => ({ requestId: s.requestId }),
  regenerateWebhookKeys: (s) => ({ requestId: s.requestId }),
  listWebhookDeliveries: () => ({}),
  redeliverWebhook: (s) => ({ id: s.deliveryId }),
  getProfile: () => ({}),
  updateProfile: () => ({ displayName: 'Replayed shop' }),
};
const ROUTES = Object.keys(merchantApi) as RouteName[];

/** The body a Calypso client sends: `{timestamp, account, payload}`, nothing else. */
function calypsoRequest(h: Harness, payload: unknown, merchant: NewMerchant = h.merchant) {
  const body = JSON.stringify({ timestamp: h.clock.now(), account: merchant.account, payload });
  return { body, headers: { 'content-type': 'application/json', Key: merchant.key, Sign: calypsoSign(merchant.secret, body) } };
}

const send = (h: Harness, name: RouteName, request: { body: string; headers: Record<string, string> }) => {
  const route = merchantApi[name];
  return h.app.request(`/api/v1${route.path}`, { method: route.method, headers: request.headers, body: request.body });
};

/** Every row a request could create or change (the replay store itself aside). */
async function snapshot(h: Harness) {
  const all = async (table: 'invoices' | 'merchants' | 'webhook_subscriptions' | 'webhook_deliveries' | 'status_history' | 'webhook_events') =>
    h.db.selectFrom(table).selectAll().execute();
  return {
    invoices: await all('invoices'),
    subscriptions: await all('webhook_subscriptions'),
    deliveries: await all('webhook_deliveries'),
    history: await all('status_history'),
    events: await all('webhook_events'),
    merchants: await all('merchants'),
  };
}

async function seed(h: Harness): Promise<Seed> {
  const sub = await h.client.createWebhookSubscription({ requestId: 'first', url: 'http://127.0.0.1:9/hooks', notificationServiceTypes: ['INVOICE'] });
  const invoice = await h.createInvoice();
  const underpaid = await h.createInvoice({ amount: 1 });
  await h.pay(underpaid.invoiceAddress, '0.5');
  await h.mine(1);
  const { items } = await h.client.listWebhookDeliveries({});
  h.clock.advance(1);
  await h.client.createWidget({ cryptoCurrencies: ['ETH'], fiatAmount: 10, fiatCurrency: 'USD', description: 'Seeded', idempotencyKey: 'widget-1' });
  return { invoiceId: invoice.id, underpaidId: underpaid.id, requestId: sub.requestId, deliveryId: items[0]!.id };
}

describe('a signed request accepted by one route', () => {
  it.each(ROUTES)('is refused, changing nothing, by every other route: first accepted by %s', async (first) => {
    const h = await createHarness();
    try {
      const s = await seed(h);
      const request = calypsoRequest(h, payloads[first](s));
      expect((await send(h, first, request)).status).toBe(200);
      const before = await snapshot(h);
      for (const other of ROUTES.filter((r) => r !== first)) {
        const res = await send(h, other, request);
        expect({ route: other, status: res.status, body: await res.json() }).toMatchObject({ route: other, status: 401, body: { errorCode: 'REPLAYED_REQUEST' } });
      }
      expect(await snapshot(h)).toEqual(before);
    } finally {
      await h.destroy();
    }
  });
});

describe('the same signed request sent again to the same route', () => {
  let s: Seed;
  const h = harnessPerTest();
  beforeEach(async () => {
    s = await seed(h);
  });

  const idempotent = ROUTES.filter((r) => merchantApi[r].replay === 'retry');
  const once = ROUTES.filter((r) => merchantApi[r].replay === 'never');

  it.each(idempotent)('is answered again, identically, by the read %s', async (name) => {
    const request = calypsoRequest(h, payloads[name](s));
    const first = await send(h, name, request);
    const again = await send(h, name, request);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(await first.text());
  });

  it.each(once)('is refused by %s, which is not safe to repeat, and changes nothing', async (name) => {
    const request = calypsoRequest(h, payloads[name](s));
    expect((await send(h, name, request)).status).toBe(200);
    const before = await snapshot(h);
    const again = await send(h, name, request);
    expect({ status: again.status, body: await again.json() }).toMatchObject({ status: 401, body: { errorCode: 'REPLAYED_REQUEST', message: expect.stringContaining('not safe to repeat') } });
    expect(await snapshot(h)).toEqual(before);
  });

  it('is answered with the same invoice by a create carrying an idempotencyKey, also when the copies arrive together', async () => {
    const request = calypsoRequest(h, { amount: 0.02, currency: 'ETH', description: 'Order 9', idempotencyKey: 'order-9' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(h, 'createInvoice', request)));
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(bodies).size).toBe(1);
    expect(await h.db.selectFrom('invoices').select('id').where('idempotency_key', '=', 'order-9').execute()).toHaveLength(1);
  });

  it('makes one invoice and four 401s from five identical creates without an idempotencyKey', async () => {
    const before = (await snapshot(h)).invoices.length;
    const request = calypsoRequest(h, { amount: 0.02, currency: 'ETH', description: 'No key' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(h, 'createInvoice', request)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    for (const refused of answers.filter((r) => r.status === 401)) expect(await refused.json()).toMatchObject({ errorCode: 'REPLAYED_REQUEST' });
    expect((await snapshot(h)).invoices.length).toBe(before + 1);
  });
});

describe('a request that names its route (as the typed client signs it)', () => {
  it('is refused by another route even when it gets there first', async () => {
    const h = await createHarness();
    try {
      await h.createInvoice();
      const list = h.sign('/api/v1/invoice/list', {});
      const stolen = await h.app.request('/api/v1/subscription/webhook', { method: 'POST', headers: list.headers, body: list.body });
      expect({ status: stolen.status, body: await stolen.json() }).toMatchObject({ status: 401, body: { errorCode: 'REPLAYED_REQUEST', message: expect.stringContaining('/invoice/list') } });
      // The route it was signed for still takes it.
      expect((await h.send(list)).status).toBe(200);
    } finally {
      await h.destroy();
    }
  });
});

describe('the replay store', () => {
  it('is shared by every process on the database: bytes accepted by one are refused by the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payframe-test-'));
    const clock = new FakeClock();
    const secrets = testSecrets();
    const start = () => createRuntime({ dbFile: join(dir, 'db.sqlite'), secrets, clock, log: silentLog, publicUrl: 'http://p.test', sandbox: true });
    const [a, b] = [await start(), await start()];
    try {
      const merchant = await createMerchant(a.db, a.secrets, { name: 'm', origins: [], now: clock.now() });
      const body = JSON.stringify({ timestamp: clock.now(), account: merchant.account, payload: { id: 'inv_none' } });
      const init = { method: 'POST', headers: { Key: merchant.key, Sign: calypsoSign(merchant.secret, body) }, body };
      expect((await a.app.request('/api/v1/invoice', init)).status).toBe(404);
      const replayed = await b.app.request('/api/v1/invoice/archive', init);
      expect({ status: replayed.status, body: await replayed.json() }).toMatchObject({ status: 401, body: { errorCode: 'REPLAYED_REQUEST' } });
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes a busy minute of claims a thousand at a time, letting requests run between, and keeps the live ones', async () => {
    const h = await createHarness();
    try {
      const now = h.clock.now();
      // 2,500 expired (a few sharing each millisecond), then 3 still live.
      const claims = [...Array.from({ length: 2500 }, (_, i) => now - 10_000 + Math.floor(i / 3)), now, now + 1, now + 60_000].map((until, i) => ({ sign: `s${i}`, route: 'POST /x', expires_at: until }));
      for (let i = 0; i < claims.length; i += 500) await h.db.insertInto('signed_requests').values(claims.slice(i, i + 500)).execute();
      // Turns of the event loop while it prunes: other requests' I/O runs in them.
      let turns = 0;
      let pruning = true;
      const count = () => {
        turns++;
        if (pruning) setImmediate(count);
      };
      setImmediate(count);
      const deleted = await h.replayGuard!.prune(now).finally(() => (pruning = false));
      expect(deleted).toBe(2500);
      expect((await h.db.selectFrom('signed_requests').select('sign').orderBy('expires_at').execute()).map((r) => r.sign)).toEqual(['s2500', 's2501', 's2502']);
      // Three statements' worth, with the event loop going round between them.
      expect(turns).toBeGreaterThanOrEqual(2);
      expect(await h.replayGuard!.prune(now)).toBe(0);
    } finally {
      await h.destroy();
    }
  });

  it('forgets a signature once its timestamp has left the window, when the timestamp check refuses it anyway', async () => {
    const h = await createHarness();
    try {
      const request = calypsoRequest(h, { id: 'inv_none' });
      await send(h, 'getInvoice', request);
      expect(await h.replayGuard!.prune(h.clock.now())).toBe(0);
      h.clock.advance(TIMESTAMP_TOLERANCE_MS + 1);
      expect(await h.replayGuard!.prune(h.clock.now())).toBeGreaterThanOrEqual(1);
      const late = await send(h, 'archiveInvoice', request);
      expect(await late.json()).toMatchObject({ errorCode: 'TIMESTAMP_OUT_OF_RANGE' });
    } finally {
      await h.destroy();
    }
  });
});
