import { describe, expect, it, vi } from 'vitest';
import { onPostgres } from '../db/dialect';
import { checkoutView as checkoutViewSchema, type CheckoutView } from '../../contract/checkout';
import { DAY_MS, LATE_PAYMENT_WINDOW_MS } from '../invoices/state-machine';
import { harnessPerTest } from '../testing/harness';
import { sseReader } from '../testing/sse-reader';

describe('GET /api/checkout/:id', () => {
  const h = harnessPerTest();

  it('returns the buyer view with an exact amount, an EIP-681 URI and no merchant secrets', async () => {
    const inv = await h.createInvoice({ amount: '0.12345678', externalId: 'order-77', returnUrl: 'https://shop.test/thanks' });
    const res = await h.app.request(`/api/checkout/${inv.id}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const view = checkoutViewSchema.parse(JSON.parse(text));
    expect(view).toMatchObject({
      id: inv.id,
      state: 'PENDING_PAYMENT',
      amount: '0.12345678',
      amountPaid: '0',
      amountDue: '0.12345678',
      currency: { code: 'ETH', network: 'ethereum', decimals: 18 },
      address: inv.invoiceAddress,
      returnUrl: 'https://shop.test/thanks',
      paymentUri: `ethereum:${inv.invoiceAddress}@1337?value=123456780000000000`,
    });
    for (const secret of [h.merchant.account, h.merchant.key, h.merchant.secret, inv.idempotencyKey, 'order-77']) {
      expect(text).not.toContain(secret);
    }
  });

  it('puts the token contract into the URI of a token invoice', async () => {
    const inv = await h.createInvoice({ amount: 25, currency: 'USDC' });
    const view = (await (await h.app.request(`/api/checkout/${inv.id}`)).json()) as CheckoutView;
    expect(view.paymentUri).toBe(`ethereum:0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48@1337/transfer?address=${inv.invoiceAddress}&uint256=25000000`);
  });

  it('answers 304 to If-None-Match with the current version, and 200 once it changed', async () => {
    const inv = await h.createInvoice();
    const first = await h.app.request(`/api/checkout/${inv.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe('"1"');
    expect((await h.app.request(`/api/checkout/${inv.id}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await h.pay(inv.invoiceAddress, '0.01');
    const changed = await h.app.request(`/api/checkout/${inv.id}`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
  });

  it('answers a poll of an unchanged invoice from memory on SQLite, and reads again once it changed', async () => {
    const inv = await h.createInvoice();
    const url = `/api/checkout/${inv.id}`;
    expect((await h.app.request(url)).headers.get('etag')).toBe('"1"');
    const queries = vi.spyOn(h.db, 'executeQuery');
    const again = await h.app.request(url);
    expect(((await again.json()) as CheckoutView).version).toBe(1);
    expect((await h.app.request(url, { headers: { 'If-None-Match': '"1"' } })).status).toBe(304);
    // On PostgreSQL other instances change invoices too: every poll reads.
    expect(queries).toHaveBeenCalledTimes(onPostgres(h.db) ? 2 : 0);
    await h.pay(inv.invoiceAddress, '0.01');
    const changed = await h.app.request(url);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(((await changed.json()) as CheckoutView).state).toBe('MEM_POOL_FOUND');
  });

  it('says final only once nothing can change the invoice: not while an expired one still takes late payments', async () => {
    const view = async (id: string) => (await (await h.app.request(`/api/checkout/${id}`)).json()) as CheckoutView;
    const archived = await h.createInvoice();
    await h.call('/api/v1/invoice/archive', { id: archived.id });
    expect(await view(archived.id)).toMatchObject({ state: 'ARCHIVED', final: true });

    const expired = await h.createInvoice();
    h.clock.advance(DAY_MS);
    await h.engine.expireDue();
    expect(await view(expired.id)).toMatchObject({ state: 'ARCHIVED', final: false });
    h.clock.advance(LATE_PAYMENT_WINDOW_MS);
    expect(await view(expired.id)).toMatchObject({ final: false });
    h.clock.advance(1);
    expect(await view(expired.id)).toMatchObject({ state: 'ARCHIVED', version: 2, final: true });
  });

  it('answers 200 to a poller of an expired invoice when its late-payment window closed, with the same version', async () => {
    const inv = await h.createInvoice();
    h.clock.advance(DAY_MS);
    await h.engine.expireDue();
    const req = () => h.app.request(`/api/checkout/${inv.id}`, { headers: { 'If-None-Match': '"2"' } });
    expect((await req()).status).toBe(304);
    h.clock.advance(LATE_PAYMENT_WINDOW_MS + 1);
    const closed = await req();
    expect(closed.status).toBe(200);
    expect(closed.headers.get('etag')).toBe('"2-final"');
    expect(await closed.json()).toMatchObject({ version: 2, final: true });
  });

  it('answers the same 404 for an unknown id and a malformed one', async () => {
    const unknown = await h.app.request('/api/checkout/inv_doesnotexist');
    const malformed = await h.app.request(`/api/checkout/${encodeURIComponent("' or 1=1 --")}`);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    const a = (await unknown.json()) as { errorCode: string; message: string };
    const b = (await malformed.json()) as { errorCode: string; message: string };
    expect([a.errorCode, a.message]).toEqual([b.errorCode, b.message]);
  });
});

describe('GET /api/checkout/:id/events', () => {
  const h = harnessPerTest({ heartbeatMs: 40 });

  it('sends the snapshot, then every state in order, then ends after COMPLETED', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const res = await h.app.request(`/api/checkout/${inv.id}/events`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(res);
    const snapshot = await sse.nextInvoice();
    expect(snapshot).toMatchObject({ state: 'PENDING_PAYMENT', version: 1 });

    await h.pay(inv.invoiceAddress, '1');
    expect(await sse.nextInvoice()).toMatchObject({ state: 'MEM_POOL_FOUND', version: 2 });
    await h.mine();
    expect(await sse.nextInvoice()).toMatchObject({ state: 'PAID', version: 3, confirmations: { current: 1, paid: 1, final: 3 } });
    await h.mine(2);
    expect(await sse.nextInvoice()).toMatchObject({ state: 'PAID', version: 4, confirmations: { current: 2 } });
    expect(await sse.nextInvoice()).toMatchObject({ state: 'COMPLETED', version: 5 });
    expect(await sse.nextInvoice()).toBeUndefined();
    expect(sse.ended).toBe(true);
  });

  it('labels each event with its version so Last-Event-ID resumes without a gap', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.5');
    await h.mine();
    await h.pay(inv.invoiceAddress, '0.5');
    const res = await h.app.request(`/api/checkout/${inv.id}/events`, { headers: { 'Last-Event-ID': '1' } });
    const sse = sseReader(res);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ev = await sse.next();
      if (ev?.event === 'invoice') ids.push(ev.id!);
      else i--;
    }
    expect(ids).toEqual(['2', '3', '4']);
    await sse.cancel();
  });

  it('sends nothing old to a client resumed at the current version, then the next change', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`, { headers: { 'Last-Event-ID': '2' } }));
    await h.mine();
    expect(await sse.nextInvoice()).toMatchObject({ version: 3, state: 'PAID' });
    await sse.cancel();
  });

  it('ends at once, replaying nothing, for a client resumed at a final version', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    await h.mine(3);
    const completed = (await (await h.app.request(`/api/checkout/${inv.id}`)).json()) as CheckoutView;
    expect(completed).toMatchObject({ state: 'COMPLETED', final: true });
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`, { headers: { 'Last-Event-ID': String(completed.version) } }));
    expect(await sse.nextInvoice()).toBeUndefined();
  });

  it.each(['99', 'abc', '2x', '-1'])('sends the snapshot for a Last-Event-ID of %s, which this invoice never had', async (lastEventId) => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`, { headers: { 'Last-Event-ID': lastEventId } }));
    expect(await sse.nextInvoice()).toMatchObject({ version: 2, state: 'MEM_POOL_FOUND' });
    await h.mine();
    expect(await sse.nextInvoice()).toMatchObject({ version: 3, state: 'PAID' });
    await sse.cancel();
  });

  it('stays open after an expiry, so a late payment shows live', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`));
    await sse.nextInvoice();
    h.clock.advance(DAY_MS);
    await h.engine.expireDue();
    expect(await sse.nextInvoice()).toMatchObject({ version: 2, state: 'ARCHIVED', final: false });
    await h.pay(inv.invoiceAddress, '1');
    expect(await sse.nextInvoice()).toMatchObject({ version: 3, state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', final: false });
    await sse.cancel();
  });

  it('sends the expired version again as final when the late-payment window closes, then ends', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    h.clock.advance(DAY_MS);
    await h.engine.expireDue();
    // 30 ms of real time before the window closes: the stream's timer wakes it, and by then the fake clock is past.
    h.clock.advance(LATE_PAYMENT_WINDOW_MS - 30);
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`));
    expect(await sse.nextInvoice()).toMatchObject({ version: 2, state: 'ARCHIVED', final: false });
    h.clock.advance(31);
    expect(await sse.nextInvoice()).toMatchObject({ version: 2, state: 'ARCHIVED', final: true });
    expect(await sse.nextInvoice()).toBeUndefined();
  });

  it('sends heartbeat comments while nothing changes', async () => {
    const inv = await h.createInvoice();
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`));
    await sse.nextInvoice();
    const ev = await sse.next();
    expect(ev?.comment).toBe('heartbeat');
    await sse.cancel();
  });

  it('ends at once for an invoice that is already final', async () => {
    const inv = await h.createInvoice();
    await h.call('/api/v1/invoice/archive', { id: inv.id });
    const sse = sseReader(await h.app.request(`/api/checkout/${inv.id}/events`));
    expect(await sse.nextInvoice()).toMatchObject({ state: 'ARCHIVED', final: true });
    expect(await sse.nextInvoice()).toBeUndefined();
  });

  it('answers 404 for an unknown invoice', async () => {
    expect((await h.app.request('/api/checkout/inv_nope/events')).status).toBe(404);
  });
});
