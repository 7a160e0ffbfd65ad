/**
 * Payment widgets through the merchant API (Calypso's request bodies) and the
 * buyer's public endpoints: quotes shown per coin, a pick that creates or
 * reuses an invoice, another pick that makes another, and the widget's state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, START, type Harness } from '../testing/harness';

const LOCK_MS = 15 * 60 * 1000;
const WIDGET_BODY = {
  cryptoCurrencies: ['USDT_MATIC', 'ETH'],
  fiatAmount: 30,
  fiatCurrency: 'USD',
  description: 'Espresso beans, 1 kg',
  idempotencyKey: 'order-9',
  externalId: 'order-9',
  returnUrl: 'http://shop.test/orders/9',
  logoUrl: 'http://shop.test/logo.svg',
};

type WidgetAnswer = Record<string, unknown> & { paymentUrl: string; invoices: { invoiceId: string; cryptoCurrency: string }[] };

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ limits: { widgetChoicesPerMinute: 5 } });
});
afterEach(() => h.destroy());

async function createWidget(payload: Record<string, unknown> = {}): Promise<WidgetAnswer & { id: string }> {
  const res = await h.call('/api/v1/payment-widget/single-fiat/create', { ...WIDGET_BODY, ...payload }, { pretty: true });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as WidgetAnswer;
  return { ...body, id: body.paymentUrl.split('/w/')[1]! };
}

const find = async (idempotencyKey = 'order-9') => (await (await h.call('/api/v1/payment-widget/single-fiat/find', { idempotencyKey })).json()) as WidgetAnswer;
const choose = (id: string, currency: string) =>
  h.app.request(`/api/widget/${id}/choose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency }) });
async function chosen(id: string, currency: string): Promise<string> {
  const res = await choose(id, currency);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { invoiceId: string }).invoiceId;
}
const invoice = async (id: string) => (await (await h.call('/api/v1/invoice', { id })).json()) as Record<string, unknown> & { invoiceAddress: string };

describe('POST /api/v1/payment-widget/single-fiat/create and /find', () => {
  it('answers a Calypso payload with the widget DTO; its page link is an unguessable id, not the idempotency key', async () => {
    const widget = await createWidget();
    expect(widget).toEqual({
      idempotencyKey: 'order-9',
      cryptoCurrencies: ['USDT_MATIC', 'ETH'],
      fiatAmount: 30,
      fiatCurrency: 'USD',
      description: 'Espresso beans, 1 kg',
      widgetType: 'SINGLE_FIAT',
      widgetState: 'IN_PROGRESS',
      logoUrl: 'http://shop.test/logo.svg',
      returnUrl: 'http://shop.test/orders/9',
      externalId: 'order-9',
      invoices: [],
      createdDate: new Date(START).toISOString(),
      expiration: new Date(START + 24 * 3600 * 1000).toISOString(),
      paymentUrl: expect.stringMatching(/^http:\/\/payframe\.test\/w\/wid_[\w-]{22}$/),
      id: expect.any(String),
    });
    expect(widget.paymentUrl).not.toContain('order-9');
    expect(await find()).toEqual({ ...widget, id: undefined, fiatAmount: 30 });
  });

  it('returns the same widget for the same key and payload, and 409 for another payload', async () => {
    const first = await createWidget();
    expect((await createWidget()).paymentUrl).toBe(first.paymentUrl);
    expect((await h.call('/api/v1/payment-widget/single-fiat/create', { ...WIDGET_BODY, fiatAmount: 31 })).status).toBe(409);
  });

  it.each([
    [{ cryptoCurrencies: ['USDT_MATIC', 'DOGE'] }, 'payload.cryptoCurrencies[1]: "DOGE" is not a supported currency'],
    [{ cryptoCurrencies: [] }, 'payload.cryptoCurrencies'],
    [{ cryptoCurrencies: ['ETH', 'ETH'] }, 'must not name a currency twice'],
    [{ cryptoCurrencies: 'ETH' }, 'payload.cryptoCurrencies'],
    [{ fiatCurrency: 'EURO' }, 'payload.fiatCurrency: "EURO" is not an ISO 4217 currency code'],
    [{ fiatAmount: '30.001' }, 'payload.fiatAmount has more than 2 decimal places (USD has 2)'],
    [{ expiration: START - 1 }, 'payload.expiration must be in the future'],
  ])('refuses %j with a 400 naming the field, creating nothing', async (change, message) => {
    const res = await h.call('/api/v1/payment-widget/single-fiat/create', { ...WIDGET_BODY, ...change });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(await h.db.selectFrom('widgets').select('id').execute()).toEqual([]);
  });

  it('answers 404 for an unknown key', async () => {
    expect((await h.call('/api/v1/payment-widget/single-fiat/find', { idempotencyKey: 'nope' })).status).toBe(404);
  });
});

describe('the buyer picking a coin', () => {
  it('shows each coin with its network at a quote locked for a while, and creates the invoice at that quote', async () => {
    const { id } = await createWidget();
    const view = await (await h.app.request(`/api/widget/${id}`)).json();
    expect(view).toMatchObject({
      id,
      state: 'IN_PROGRESS',
      fiatAmount: '30',
      fiatCurrency: 'USD',
      options: [
        { currency: 'USDT_MATIC', network: 'polygon', amount: '30', rate: '1', quoteExpiresAt: new Date(START + LOCK_MS).toISOString() },
        { currency: 'ETH', network: 'ethereum', amount: '0.01', rate: '3000', quoteExpiresAt: new Date(START + LOCK_MS).toISOString() },
      ],
    });
    // The rate moves, but the buyer saw 0.01 ETH, locked: picking ETH in time gets that.
    await h.setRates({ ETH_USD: '2000' });
    h.clock.advance(LOCK_MS - 1);
    const ethId = await chosen(id, 'ETH');
    expect(await invoice(ethId)).toMatchObject({ type: 'SINGLE_FIAT', amount: 0.01, rate: '3000', fiatAmount: 30, externalId: 'order-9', logoUrl: 'http://shop.test/logo.svg' });
  });

  it('reuses the open invoice of a coin picked again, makes another for another coin, and lists both', async () => {
    const { id } = await createWidget();
    const usdt = await chosen(id, 'USDT_MATIC');
    expect(await chosen(id, 'USDT_MATIC')).toBe(usdt);
    const eth = await chosen(id, 'ETH');
    expect(eth).not.toBe(usdt);
    const { invoices } = await find();
    expect(invoices).toEqual([
      { invoiceId: usdt, cryptoCurrency: 'USDT_MATIC', invoiceIdempotencyKey: 'order-9/USDT_MATIC/1', invoiceExternalId: 'order-9' },
      { invoiceId: eth, cryptoCurrency: 'ETH', invoiceIdempotencyKey: 'order-9/ETH/1', invoiceExternalId: 'order-9' },
    ]);
  });

  it('is COMPLETED once one of its invoices completes, and still takes another coin until it expires', async () => {
    const { id } = await createWidget();
    const usdt = await chosen(id, 'USDT_MATIC');
    await h.pay((await invoice(usdt)).invoiceAddress, '30', { currency: 'USDT_MATIC' });
    await h.mine(3);
    expect((await find()).widgetState).toBe('COMPLETED');
    const eth = await chosen(id, 'ETH');
    await h.pay((await invoice(eth)).invoiceAddress, '0.01');
    await h.mine(3);
    const widget = await find();
    expect(widget.widgetState).toBe('COMPLETED');
    expect(widget.invoices.map((i) => [i.invoiceId, i.cryptoCurrency])).toEqual([
      [usdt, 'USDT_MATIC'],
      [eth, 'ETH'],
    ]);
  });

  it('is ARCHIVED once it expires with nothing paid, and then takes no more picks', async () => {
    const { id } = await createWidget({ expiration: START + 3600_000 });
    await chosen(id, 'ETH');
    h.clock.advance(3600_000);
    expect((await find()).widgetState).toBe('ARCHIVED');
    expect((await choose(id, 'ETH')).status).toBe(409);
  });

  it('refuses a coin the widget does not accept, an unknown widget, and a malformed body, creating nothing', async () => {
    const { id } = await createWidget();
    const res = await choose(id, 'BNB');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'UNSUPPORTED_CURRENCY', message: 'payload.currency: this payment widget does not accept BNB' });
    expect((await choose('wid_nope', 'ETH')).status).toBe(404);
    expect((await h.app.request(`/api/widget/${id}/choose`, { method: 'POST', body: 'currency=ETH' })).status).toBe(400);
    expect((await h.app.request('/api/widget/wid_nope')).status).toBe(404);
    const big = await h.app.request(`/api/widget/${id}/choose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'ETH', pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    expect(await h.db.selectFrom('invoices').select('id').execute()).toEqual([]);
  });

  it('limits picks per address', async () => {
    const { id } = await createWidget();
    for (let i = 0; i < 5; i++) await chosen(id, i % 2 ? 'ETH' : 'USDT_MATIC');
    const res = await choose(id, 'ETH');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
