import { describe, expect, it } from 'vitest';
import { CALYPSO_WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { harnessPerTest } from '../testing/harness';
import { MAX_SUBSCRIPTIONS_PER_ACCOUNT } from '../webhooks/subscriptions';

const CREATE = '/api/v1/subscription/webhook/create';
const LIST = '/api/v1/subscription/webhook';
const RECEIVER = 'http://127.0.0.1:9/hooks';

describe('webhook subscription routes', () => {
  const h = harnessPerTest();

  const create = async (payload: Record<string, unknown>, merchant = h.merchant) => {
    const res = await h.call(CREATE, payload, { merchant });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const list = async (merchant = h.merchant) => ((await (await h.call(LIST, {}, { merchant })).json()) as { subscriptions: Record<string, unknown>[] }).subscriptions;
  const del = (payload: unknown, sign?: string) => h.send(h.sign(LIST, payload, { method: 'DELETE' }), sign ? { Sign: sign } : {});

  it('creates a subscription in Calypso’s shape, with a key pair', async () => {
    const { status, body } = await create({ url: RECEIVER, notificationEventTypes: ['INVOICE_PAID', 'INVOICE_CREATE_INVOICE'] });
    expect(status).toBe(200);
    expect(body).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      notificationEventTypes: ['INVOICE_CREATE_INVOICE', 'INVOICE_PAID'],
      url: RECEIVER,
      publicKey: expect.stringMatching(/^whpk_[0-9a-f]{32}$/),
      secretKey: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      createdDate: new Date(h.clock.now()).toISOString(),
      blockedByErrorCount: false,
      consecutiveFailures: 0,
      failingSince: null,
    });
    expect(Buffer.from((body.secretKey as string).slice(6), 'base64')).toHaveLength(32);
  });

  it('subscribes to every Calypso invoice event with notificationServiceTypes ["INVOICE"], and to Payframe’s own only by name', async () => {
    const { body } = await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    expect([...(body.notificationEventTypes as string[])].sort()).toEqual([...CALYPSO_WEBHOOK_EVENT_TYPES].sort());
    const both = await create({ url: `${RECEIVER}/2`, notificationServiceTypes: ['INVOICE'], notificationEventTypes: ['INVOICE_PAYMENT_REVERSED'] });
    expect(both.body.notificationEventTypes).toContain('INVOICE_PAYMENT_REVERSED');
  });

  it('answers the same subscription when a create with the same requestId is sent again, and 409 for another payload', async () => {
    const first = await create({ requestId: 'shop-main', url: RECEIVER, notificationEventTypes: ['INVOICE_PAID'] });
    const again = await create({ requestId: 'shop-main', url: RECEIVER, notificationEventTypes: ['INVOICE_PAID'] });
    expect(again.body).toEqual(first.body);
    const other = await create({ requestId: 'shop-main', url: `${RECEIVER}/2`, notificationEventTypes: ['INVOICE_PAID'] });
    expect(other).toMatchObject({ status: 409, body: { errorCode: 'IDEMPOTENCY_CONFLICT' } });
  });

  it.each([
    [{ url: RECEIVER, notificationEventTypes: ['PAYOUT_CHANGE_STATUS'] }, 'payload.notificationEventTypes.0: must be one of INVOICE_CREATE_INVOICE'],
    [{ url: RECEIVER }, 'payload.notificationEventTypes: name at least one event type'],
    [{ url: RECEIVER, notificationEventTypes: [] }, 'payload.notificationEventTypes: name at least one event type'],
    [{ url: RECEIVER, notificationServiceTypes: ['PAYOUT'] }, 'payload.notificationServiceTypes.0: must be INVOICE'],
    [{ notificationServiceTypes: ['INVOICE'] }, 'payload.url: '],
    [{ url: 'ftp://shop.example/x', notificationServiceTypes: ['INVOICE'] }, 'payload.url: must be an http or https URL'],
    [{ url: 'https://user:pw@shop.example/x', notificationServiceTypes: ['INVOICE'] }, 'payload.url: must not carry credentials'],
    [{ url: `https://shop.example/${'x'.repeat(2048)}`, notificationServiceTypes: ['INVOICE'] }, 'payload.url: must be at most 2048 characters'],
  ])('refuses %j with a 400 naming the field', async (payload, message) => {
    const { status, body } = await create(payload);
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });

  it('refuses more than the maximum number of subscriptions', async () => {
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_ACCOUNT; i++) expect((await create({ url: `${RECEIVER}/${i}`, notificationServiceTypes: ['INVOICE'] })).status).toBe(200);
    expect(await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] })).toMatchObject({ status: 400, body: { message: expect.stringContaining('at most 10') } });
  });

  it('lists only the calling merchant’s subscriptions', async () => {
    await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    const other = await h.newMerchant();
    expect(await list()).toHaveLength(1);
    expect(await list(other)).toEqual([]);
  });

  it('deletes a subscription with a signed DELETE, and answers 404 for an unknown requestId', async () => {
    const { body } = await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    expect((await del({ requestId: body.requestId })).status).toBe(200);
    expect(await list()).toEqual([]);
    const again = await del({ requestId: body.requestId });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ errorCode: 'NOT_FOUND', message: 'payload.requestId: no webhook subscription with this requestId' });
  });

  it('refuses an unsigned or wrongly signed DELETE', async () => {
    const { body } = await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    expect((await del({ requestId: body.requestId }, '0'.repeat(128))).status).toBe(401);
    expect((await h.app.request(LIST, { method: 'DELETE', body: '{}' })).status).toBe(401);
    expect(await list()).toHaveLength(1);
  });

  it('does not let another merchant delete, rotate or redeliver', async () => {
    const { body } = await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    await h.createInvoice();
    const other = await h.newMerchant();
    expect((await h.call('/api/v1/subscription/webhook/regenerate-keys', { requestId: body.requestId }, { merchant: other })).status).toBe(404);
    const [delivery] = (await (await h.call('/api/v1/subscription/webhook/deliveries', {})).json()).items as { id: number }[];
    expect((await h.call('/api/v1/subscription/webhook/redeliver', { id: delivery!.id }, { merchant: other })).status).toBe(404);
    expect((await (await h.call('/api/v1/subscription/webhook/deliveries', {}, { merchant: other })).json()).items).toEqual([]);
  });

  it('rotates a subscription’s keys', async () => {
    const { body } = await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    const res = await h.call('/api/v1/subscription/webhook/regenerate-keys', { requestId: body.requestId });
    const rotated = (await res.json()) as Record<string, unknown>;
    expect(rotated).toMatchObject({ requestId: body.requestId, url: RECEIVER });
    expect(rotated.secretKey).not.toBe(body.secretKey);
    expect(rotated.publicKey).not.toBe(body.publicKey);
    expect((await list())[0]).toMatchObject({ secretKey: rotated.secretKey, publicKey: rotated.publicKey });
  });

  it('pages through the delivery log and filters it by invoice', async () => {
    await create({ url: RECEIVER, notificationServiceTypes: ['INVOICE'] });
    const invoices = [];
    for (let i = 0; i < 3; i++) invoices.push(await h.createInvoice());
    const page = async (payload: Record<string, unknown>) =>
      (await (await h.call('/api/v1/subscription/webhook/deliveries', payload)).json()) as { items: { id: number; invoiceId: string; status: string }[]; nextCursor: string | null };
    const first = await page({ limit: 2 });
    expect(first.items.map((d) => d.invoiceId)).toEqual([invoices[2]!.id, invoices[1]!.id]);
    expect(first.items[0]).toMatchObject({ status: 'PENDING', attempts: [], eventType: 'INVOICE_CREATE_INVOICE' });
    const second = await page({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((d) => d.invoiceId)).toEqual([invoices[0]!.id]);
    expect(second.nextCursor).toBeNull();
    expect((await page({ invoiceId: invoices[1]!.id })).items).toHaveLength(1);
    expect((await h.call('/api/v1/subscription/webhook/deliveries', { cursor: 'abc' })).status).toBe(400);
  });

  it('answers 404 for a redelivery of an unknown delivery', async () => {
    const res = await h.call('/api/v1/subscription/webhook/redeliver', { id: 12345 });
    expect(res.status).toBe(404);
  });
});

describe('webhook target safety (sandbox off: private targets refused)', () => {
  const h = harnessPerTest({ sandbox: false });

  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://10.0.0.8/hook', 'http://169.254.169.254/latest', 'http://0.0.0.0/'])(
    'refuses %s',
    async (url) => {
      const res = await h.call(CREATE, { url, notificationServiceTypes: ['INVOICE'] });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^payload\.url: .* address; webhooks go to public addresses only \(WEBHOOK_ALLOW_PRIVATE_TARGETS=1 allows others\)$/);
    },
  );

  it('accepts a public address', async () => {
    expect((await h.call(CREATE, { url: 'https://93.184.216.34/hook', notificationServiceTypes: ['INVOICE'] })).status).toBe(200);
  });
});
