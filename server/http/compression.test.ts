import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from '../testing/harness';
import { qrSvg } from '../pages/qr';

const GZIP = { 'accept-encoding': 'gzip, deflate, br' };

describe('response compression', () => {
  const h = harnessPerTest();

  const gunzipped = async (res: Response) => {
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    return gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
  };

  it('gzips the checkout JSON, the QR SVG and an HTML page for a client that accepts gzip', async () => {
    const inv = await h.createInvoice();
    const plain = await (await h.app.request(`/api/checkout/${inv.id}`)).text();
    expect(await gunzipped(await h.app.request(`/api/checkout/${inv.id}`, { headers: GZIP }))).toBe(plain);
    const view = JSON.parse(plain) as { paymentUri: string };
    expect(await gunzipped(await h.app.request(`/qr/${inv.id}/1.svg`, { headers: GZIP }))).toBe(await qrSvg(view.paymentUri));
    expect(await gunzipped(await h.app.request('/pay/inv_unknown', { headers: GZIP }))).toContain('Payment link not found');
  });

  it('sends the bytes as they are to a client that does not accept gzip', async () => {
    const inv = await h.createInvoice();
    const res = await h.app.request(`/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(await res.text())).toMatchObject({ id: inv.id });
  });

  it('revalidates a gzipped answer by its weak ETag to a 304', async () => {
    const inv = await h.createInvoice();
    const res = await h.app.request(`/api/checkout/${inv.id}`, { headers: GZIP });
    const etag = res.headers.get('etag');
    expect(etag).toBe('W/"1"');
    expect((await h.app.request(`/api/checkout/${inv.id}`, { headers: { ...GZIP, 'if-none-match': etag! } })).status).toBe(304);
  });

  it("gzips a payment widget's public view and a fiat invoice's checkout view, whose weak ETag revalidates until a re-quote", async () => {
    const widget = await h.client.createWidget({ cryptoCurrencies: ['ETH'], fiatAmount: '30', fiatCurrency: 'USD', description: 'Beans', idempotencyKey: 'widget-1' });
    const widgetId = widget.paymentUrl.split('/w/')[1]!;
    const plain = await (await h.app.request(`/api/widget/${widgetId}`)).text();
    expect(await gunzipped(await h.app.request(`/api/widget/${widgetId}`, { headers: GZIP }))).toBe(plain);

    const created = await h.call('/api/v1/invoice/single-fiat/create', { currency: 'ETH', fiatAmount: 10, fiatCurrency: 'USD', description: 'Order 42' });
    const { id } = (await created.json()) as { id: string };
    const res = await h.app.request(`/api/checkout/${id}`, { headers: GZIP });
    expect(JSON.parse(await gunzipped(res))).toMatchObject({ id, fiat: { amount: '10', currency: 'USD' } });
    const etag = res.headers.get('etag')!;
    expect((await h.app.request(`/api/checkout/${id}`, { headers: { ...GZIP, 'if-none-match': etag } })).status).toBe(304);
    await h.setRates({ ETH_USD: '2500' });
    h.clock.advance(60 * 60 * 1000);
    expect(await h.engine.requoteDue()).toBe(1);
    const requoted = await h.app.request(`/api/checkout/${id}`, { headers: { ...GZIP, 'if-none-match': etag } });
    expect(requoted.status).toBe(200);
    expect(JSON.parse(await gunzipped(requoted))).toMatchObject({ id, fiat: { rate: '2500' } });
  });

  it('never compresses an event stream, which must reach the buyer frame by frame', async () => {
    const inv = await h.createInvoice();
    const res = await h.app.request(`/api/checkout/${inv.id}/events`, { headers: GZIP });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-encoding')).toBeNull();
    await res.body!.cancel();
  });
});
