/**
 * SINGLE_FIAT invoices end to end through the merchant API: the quote, the
 * re-quote on expiry (fake clock), the payment judged at the quote of its
 * moment, and the fiat fields in the DTO, the checkout view and webhooks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWire } from '../../contract/wire-json';
import { createHarness, START, type Harness } from '../testing/harness';
import { sseReader } from '../testing/sse-reader';
import { startReceiver, type Receiver } from '../webhooks/test-receiver';

const LOCK_MS = 15 * 60 * 1000;
/** Calypso's documented payload for /invoice/single-fiat/create, as its clients send it (pretty-printed, a JSON number). */
const CALYPSO_BODY = { currency: 'ETH', fiatAmount: 10, fiatCurrency: 'USD', description: 'Order 42', idempotencyKey: '1c6f1f4e-6bd3-4d1e-9a4f-4a0f0c7d5b11' };

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.destroy());

async function createFiat(payload: Record<string, unknown> = {}) {
  const res = await h.call('/api/v1/invoice/single-fiat/create', { ...CALYPSO_BODY, ...payload }, { pretty: true });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown> & { id: string; amount: number; invoiceAddress: string };
}

const view = async (id: string) => (await (await h.app.request(`/api/checkout/${id}`)).json()) as { version: number; amount: string; paymentUri: string; fiat?: unknown };

describe('POST /api/v1/invoice/single-fiat/create', () => {
  it('answers a Calypso payload with a SINGLE_FIAT InvoiceDTO: the amount is the price ÷ the rate, rounded up', async () => {
    const invoice = await createFiat();
    expect(invoice).toMatchObject({
      type: 'SINGLE_FIAT',
      currency: 'ETH',
      // 10 USD ÷ 3000 USD/ETH = 0.00333…, up to ETH's 8 decimals.
      amount: 0.00333334,
      totalDebitAmount: 0.00333334,
      fiatAmount: 10,
      fiatCurrency: 'USD',
      rate: '3000',
      rateSource: 'fixed',
      lastFiatUpdated: new Date(START).toISOString(),
      quoteExpiresAt: new Date(START + LOCK_MS).toISOString(),
      state: 'PENDING_PAYMENT',
    });
    const quotes = await h.db.selectFrom('quotes').selectAll().where('invoice_id', '=', invoice.id).execute();
    expect(quotes).toEqual([
      expect.objectContaining({ base: 'ETH', quote: 'USD', rate: '3000', source: 'fixed', fetched_at: START, expires_at: START + LOCK_MS, amount: '3333340000000000' }),
    ]);
    expect((await view(invoice.id)).fiat).toEqual({ amount: '10', currency: 'USD', rate: '3000', quoteExpiresAt: new Date(START + LOCK_MS).toISOString() });
  });

  it('prices a token by its asset, whatever network it is on', async () => {
    await h.setRates({ USDT_EUR: '0.9' });
    const invoice = await createFiat({ currency: 'USDT_MATIC', fiatAmount: '24.50', fiatCurrency: 'EUR' });
    // 24.50 ÷ 0.9 = 27.2222… → 27.222223 (USDT's 6 decimals).
    expect(invoice).toMatchObject({ amount: 27.222223, fiatAmount: 24.5, fiatCurrency: 'EUR', rate: '0.9', network: 'polygon' });
  });

  it.each([
    [{ fiatCurrency: 'usd' }, 400, 'UNSUPPORTED_CURRENCY', 'payload.fiatCurrency: "usd" is not an ISO 4217 currency code such as "USD"'],
    [{ fiatCurrency: 'XYZ' }, 400, 'UNSUPPORTED_CURRENCY', 'payload.fiatCurrency: "XYZ" is not an ISO 4217 currency code such as "USD"'],
    [{ fiatAmount: 10.001 }, 400, 'VALIDATION_FAILED', 'payload.fiatAmount has more than 2 decimal places (USD has 2)'],
    [{ fiatAmount: '10.5', fiatCurrency: 'JPY' }, 400, 'VALIDATION_FAILED', 'payload.fiatAmount has more than 0 decimal places (JPY has 0)'],
    [{ fiatAmount: -5 }, 400, 'VALIDATION_FAILED', 'payload.fiatAmount must be greater than zero'],
    [{ fiatAmount: undefined }, 400, 'VALIDATION_FAILED', 'payload.fiatAmount'],
    [{ currency: 'DOGE' }, 400, 'UNSUPPORTED_CURRENCY', 'payload.currency: "DOGE" is not a supported currency'],
    [{ fiatCurrency: 'JPY' }, 503, 'RATE_UNAVAILABLE', 'no current rate for ETH_JPY (fixed: the fixed table has no rate for ETH_JPY); try again shortly'],
  ])('refuses %j with %i %s, creating nothing', async (change, status, errorCode, message) => {
    const res = await h.call('/api/v1/invoice/single-fiat/create', { ...CALYPSO_BODY, ...change });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { errorCode: string; message: string };
    expect(body.errorCode).toBe(errorCode);
    expect(body.message).toContain(message);
    expect(await h.db.selectFrom('invoices').select('id').execute()).toEqual([]);
  });

  it('returns the same invoice for the same idempotency key and price, even after a re-quote, and 409 for another price', async () => {
    const first = await createFiat();
    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(LOCK_MS);
    expect(await h.engine.requoteDue()).toBe(1);
    const again = await createFiat();
    expect(again).toMatchObject({ id: first.id, amount: 0.004 });
    const res = await h.call('/api/v1/invoice/single-fiat/create', { ...CALYPSO_BODY, fiatAmount: 11 });
    expect(res.status).toBe(409);
  });
});

describe('re-quoting a SINGLE_FIAT invoice', () => {
  it('replaces an expired quote while nothing is received: new amount, new version, new QR, lastFiatUpdated moves; an open checkout hears it', async () => {
    const invoice = await createFiat();
    const before = await view(invoice.id);
    const stream = sseReader(await h.app.request(`/api/checkout/${invoice.id}/events`));
    expect(await stream.nextInvoice()).toMatchObject({ version: before.version, amount: '0.00333334' });

    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(LOCK_MS - 1);
    expect(await h.engine.requoteDue()).toBe(0);
    h.clock.advance(1);
    expect(await h.engine.requoteDue()).toBe(1);

    const pushed = (await stream.nextInvoice())!;
    await stream.cancel();
    expect(pushed).toMatchObject({ version: before.version + 1, amount: '0.004', fiat: { rate: '2500', quoteExpiresAt: new Date(START + 2 * LOCK_MS).toISOString() } });
    expect(pushed.paymentUri).not.toBe(before.paymentUri);
    expect(pushed.paymentUri).toMatch(/\?value=4000000000000000$/);
    const qr = await h.app.request(`/qr/${invoice.id}/${pushed.version}.svg`);
    expect(qr.status).toBe(200);
    const dto = (await (await h.call('/api/v1/invoice', { id: invoice.id })).json()) as Record<string, unknown>;
    expect(dto).toMatchObject({ amount: 0.004, rate: '2500', lastFiatUpdated: new Date(START + LOCK_MS).toISOString(), quoteExpiresAt: new Date(START + 2 * LOCK_MS).toISOString() });
    expect(await h.db.selectFrom('quotes').select(['rate', 'amount']).where('invoice_id', '=', invoice.id).orderBy('id').execute()).toEqual([
      { rate: '3000', amount: '3333340000000000' },
      { rate: '2500', amount: '4000000000000000' },
    ]);
  });

  it('keeps the quote of a payment seen in the mempool one second before the quote expired, and judges it there', async () => {
    const invoice = await createFiat();
    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(LOCK_MS - 1000);
    await h.pay(invoice.invoiceAddress, '0.00333334');
    h.clock.advance(2000);
    expect(await h.engine.requoteDue()).toBe(0);
    await h.mine(3);
    expect(await h.state(invoice.id)).toMatchObject({ state: 'COMPLETED', interventionType: null });
    const dto = (await (await h.call('/api/v1/invoice', { id: invoice.id })).json()) as Record<string, unknown>;
    expect(dto).toMatchObject({ amount: 0.00333334, rate: '3000', lastFiatUpdated: new Date(START).toISOString() });
  });

  it('judges a first payment seen after the quote expired at a new quote, even before the sweep ran', async () => {
    const invoice = await createFiat();
    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(LOCK_MS);
    // The old amount, now short of the new quote (0.004): under 99.5 % of it.
    await h.pay(invoice.invoiceAddress, '0.00333334');
    await h.mine(3);
    expect(await h.state(invoice.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' });
    expect((await view(invoice.id)).amount).toBe('0.004');
  });

  it('quotes once for the payments one look at the chain reports together, and judges them all at the new quote', async () => {
    const invoice = await createFiat();
    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(LOCK_MS);
    // Two halves of the new quote's 0.004 in one batch (as the UTXO adapter reports a look at the mempool).
    const half = { chain: 'sandbox', to: invoice.invoiceAddress, from: '0x000000000000000000000000000000000000b0b0', currency: 'ETH', amount: 2_000_000_000_000_000n, block: null };
    await h.engine.sink.payments([
      { ...half, txHash: `0x${'a1'.repeat(32)}`, position: 0 },
      { ...half, txHash: `0x${'a2'.repeat(32)}`, position: 0 },
    ]);
    expect(await h.state(invoice.id)).toMatchObject({ state: 'MEM_POOL_FOUND' });
    expect((await view(invoice.id)).amount).toBe('0.004');
    expect(await h.db.selectFrom('quotes').select('rate').where('invoice_id', '=', invoice.id).orderBy('id').execute()).toEqual([{ rate: '3000' }, { rate: '2500' }]);
  });

  it('leaves a SINGLE invoice alone', async () => {
    const single = await h.createInvoice();
    h.clock.advance(LOCK_MS * 2);
    expect(await h.engine.requoteDue()).toBe(0);
    expect((await view(single.id)).version).toBe(1);
  });
});

describe('webhooks of a SINGLE_FIAT invoice', () => {
  it('fill fiatAmount and fiatCurrency', async () => {
    const sub = await h.call('/api/v1/subscription/webhook/create', { requestId: 'fiat', url: 'http://127.0.0.1:9/hooks', notificationServiceTypes: ['INVOICE'] });
    expect(sub.status, await sub.clone().text()).toBe(200);
    const invoice = await createFiat();
    await h.pay(invoice.invoiceAddress, '0.00333334');
    await h.mine(3);
    const events = await h.db.selectFrom('webhook_events').select(['event_type', 'data']).where('invoice_id', '=', invoice.id).orderBy('id').execute();
    expect(events.map((e) => e.event_type)).toEqual(expect.arrayContaining(['INVOICE_MEMPOOL_FOUND', 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PAID']));
    const data = (type: string) => readWire(events.find((e) => e.event_type === type)!.data) as Record<string, unknown>;
    expect(data('INVOICE_PAID')).toMatchObject({ invoiceType: 'SINGLE_FIAT', fiatAmount: '10', fiatCurrency: 'USD' });
    expect(data('INVOICE_MEMPOOL_FOUND')).toMatchObject({ fiatAmount: '10', fiatCurrency: 'USD' });
    expect(data('INVOICE_FUNDS_RECEIVED_FOR_INVOICE')).toMatchObject({ fiatAmount: { amount: '10', currency: 'USD' } });
  });
});

describe('without a current rate', () => {
  let provider: Receiver;
  let p: Harness;
  beforeEach(async () => {
    provider = await startReceiver({ respond: () => ({ status: 429, body: '{"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]}' }) });
    p = await createHarness({
      rates: { sources: ['coinbase'], fixed: {}, timeoutMs: 5_000, cacheMs: 0, maxAgeMs: 60_000, baseUrls: { coinbase: `http://127.0.0.1:${provider.port}` } },
    });
  });
  afterEach(async () => {
    await p.destroy();
    await provider.close();
  });

  it('still answers the retry of a create that went through, and 409 for another payload under its key', async () => {
    provider.respond = () => ({ status: 200, body: '{"data":{"amount":"3000","base":"ETH","currency":"USD"}}' });
    const first = (await (await p.call('/api/v1/invoice/single-fiat/create', CALYPSO_BODY)).json()) as { id: string; amount: number };
    provider.respond = () => 'hang';
    const again = await p.call('/api/v1/invoice/single-fiat/create', CALYPSO_BODY);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, amount: 0.00333334, rate: '3000' });
    expect((await p.call('/api/v1/invoice/single-fiat/create', { ...CALYPSO_BODY, fiatAmount: 11 })).status).toBe(409);
  });

  it('creates nothing and answers 503 RATE_UNAVAILABLE naming the source and its error', async () => {
    const res = await p.call('/api/v1/invoice/single-fiat/create', CALYPSO_BODY);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ errorCode: 'RATE_UNAVAILABLE', message: 'no current rate for ETH_USD (coinbase: HTTP 429: Too many requests); try again shortly' });
    expect(await p.db.selectFrom('invoices').select('id').execute()).toEqual([]);
  });
});
