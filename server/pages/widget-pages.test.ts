import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PickerBoot } from '../../widget/checkout/boot';
import { createHarness, silentLog, type Harness } from '../testing/harness';
import { createWidgets } from '../widgets/widgets';
import { pageRoutes } from './page-routes';
import { widgetPages } from './widget-pages';
import { fakeAssets } from '../testing/fake-assets';

const assets = fakeAssets();

const bootOf = (html: string) => JSON.parse(/<script type="application\/json" id="payframe-boot">(.*?)<\/script>/s.exec(html)![1]!) as PickerBoot;
const form = (currency: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `currency=${currency}` });

describe('payment widget pages', () => {
  let h: Harness;
  let pages: ReturnType<typeof widgetPages>;
  let checkout: ReturnType<typeof pageRoutes>;
  let id: string;
  beforeEach(async () => {
    h = await createHarness({ limits: { widgetChoicesPerMinute: 3 } });
    const widgets = createWidgets({ db: h.db, clock: h.clock, engine: h.engine, publicUrl: 'http://payframe.test' });
    pages = widgetPages({ db: h.db, clock: h.clock, log: silentLog, widgets, limiters: h.limiters, sandbox: h.sandbox, assets: () => assets });
    checkout = pageRoutes({ db: h.db, clock: h.clock, log: silentLog, assets: () => assets });
    const widget = await h.client.createWidget({ cryptoCurrencies: ['USDT_MATIC', 'ETH'], fiatAmount: '30', fiatCurrency: 'USD', description: 'Espresso beans', idempotencyKey: 'order-9' });
    id = widget.paymentUrl.split('/w/')[1]!;
  });
  afterEach(() => h.destroy());

  it('serves the embedded picker at /embed/w/:id only; the whole app keeps Hono’s RegExp router (a literal w beside /embed/:id would cost it that)', async () => {
    expect((await h.app.request(`/embed/w/${id}`)).status).toBe(200);
    expect((await h.app.request(`/embed/x/${id}`)).status).toBe(404);
    expect((await h.app.request(`/embed/x/${id}`, form('ETH'))).status).toBe(404);
    expect((h.app.router as { activeRouter?: { name: string } }).activeRouter?.name).toBe('RegExpRouter');
  });

  // String tests on purpose: this is what a buyer without script gets.
  it('renders the picker as a form that works without script: each coin, its network and amount, the price, the rate lock', async () => {
    const res = await pages.request(`/w/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="/w/${id}">`);
    expect(html).toMatch(/<input type="radio" name="currency" value="USDT_MATIC" required[^>]*>/);
    expect(html).toContain('<b>USDT</b> on <bdi>Polygon</bdi>');
    expect(html).toContain('30 USDT');
    expect(html).toContain('<b>ETH</b> on <bdi>Ethereum</bdi>');
    expect(html).toContain('0.01 ETH');
    expect(html).toContain('$30.00');
    expect(html).toContain('Rate locked for <span class="pf-num" role="timer" dir="ltr">15:00</span>');
    expect(html).toContain('<button class="pf-btn" type="submit">Proceed to payment</button>');
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(bootOf(html)).toMatchObject({ kind: 'picker', mode: 'pay', action: `/w/${id}`, sandbox: true });
  });

  it('turns a posted choice into the invoice and sends the buyer to its pay page, which shows the fiat price and the way back', async () => {
    const res = await pages.request(`/w/${id}`, form('USDT_MATIC'));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/pay/inv_[\\w-]+\\?widget=${id}$`));
    const pay = await (await checkout.request(location)).text();
    expect(pay).toContain('<code dir="ltr">30 USDT</code>');
    expect(pay).toContain('<bdi dir="ltr">$30.00</bdi> at <bdi dir="ltr">1 USD/USDT</bdi>');
    expect(pay).toContain(`<a href="/w/${id}">Choose another coin</a>`);
    // Another coin: another invoice; the same coin again: the same one.
    const eth = (await pages.request(`/w/${id}`, form('ETH'))).headers.get('location')!;
    expect(eth).not.toBe(location);
    expect((await pages.request(`/w/${id}`, form('USDT_MATIC'))).headers.get('location')).toBe(location);
    const { invoices } = await h.client.findWidget({ idempotencyKey: 'order-9' });
    expect(invoices.map((i) => i.cryptoCurrency)).toEqual(['USDT_MATIC', 'ETH']);
  });

  it('keeps the iframe in the iframe: parent and theme go through the choice to the embedded checkout', async () => {
    const query = `parent=${encodeURIComponent('http://shop.test')}&theme=dark`;
    const page = await pages.request(`/embed/w/${id}?${query}`);
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors http://shop.test');
    const html = await page.text();
    expect(bootOf(html)).toMatchObject({ mode: 'embed', parentOrigin: 'http://shop.test' });
    expect(html).toContain(`action="/embed/w/${id}?${query.replace('&', '&amp;')}"`);
    const res = await pages.request(`/embed/w/${id}?${query}`, form('ETH'));
    expect(res.headers.get('location')).toMatch(new RegExp(`^/embed/inv_[\\w-]+\\?parent=http%3A%2F%2Fshop\\.test&theme=dark&widget=${id}$`));
    const embed = await (await checkout.request(res.headers.get('location')!)).text();
    expect(embed).toContain(`<a href="/embed/w/${id}?${query.replace('&', '&amp;')}">Choose another coin</a>`);
  });

  it('links back only to the widget the invoice came from', async () => {
    const location = (await pages.request(`/w/${id}`, form('ETH'))).headers.get('location')!;
    const invoiceId = /\/pay\/(inv_[\w-]+)/.exec(location)![1]!;
    const html = await (await checkout.request(`/pay/${invoiceId}?widget=wid_someone_else`)).text();
    expect(html).not.toContain('>Choose another coin</a>');
  });

  it('answers pages, not JSON, for an unknown widget, a coin it does not take, and too many picks', async () => {
    expect((await pages.request('/w/wid_unknown')).status).toBe(404);
    const wrong = await pages.request(`/w/${id}`, form('BNB'));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('this payment widget does not accept BNB');
    for (let i = 0; i < 2; i++) expect((await pages.request(`/w/${id}`, form('ETH'))).status).toBe(303);
    const limited = await pages.request(`/w/${id}`, form('ETH'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('shows a paid widget as paid, and still offers the coins', async () => {
    const location = (await pages.request(`/w/${id}`, form('USDT_MATIC'))).headers.get('location')!;
    const invoiceId = /\/pay\/(inv_[\w-]+)/.exec(location)![1]!;
    const inv = await h.client.getInvoice({ id: invoiceId });
    await h.pay(inv.invoiceAddress, '30', { currency: 'USDT_MATIC' });
    await h.mine(3);
    const html = await (await pages.request(`/w/${id}`)).text();
    expect(html).toContain('This order is paid.');
    expect(html).toContain('<form');
  });
});
