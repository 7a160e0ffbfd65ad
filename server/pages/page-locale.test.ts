import { beforeEach, describe, expect, it } from 'vitest';
import type { BootData } from '../../widget/checkout/boot';
import { CATALOGUE } from '../../widget/checkout/i18n/catalogue';
import { harnessPerTest, silentLog } from '../testing/harness';
import { fakeAssets } from '../testing/fake-assets';
import { createWidgets } from '../widgets/widgets';
import { widgetPages } from './widget-pages';
import { pageRoutes } from './page-routes';

const assets = fakeAssets();
const block = (html: string, id: string) => JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(html)![1]!) as unknown;

describe("a checkout page's language", () => {
  let pages: ReturnType<typeof pageRoutes>;
  const h = harnessPerTest();
  beforeEach(() => {
    pages = pageRoutes({ db: h.db, clock: h.clock, log: silentLog, assets: () => assets });
  });

  it('follows Accept-Language: Arabic, right to left, with amounts in Latin digits', async () => {
    const inv = await h.createInvoice({ amount: '1234.5', description: 'Order 7' });
    const html = await (await pages.request(`/pay/${inv.id}`, { headers: { 'accept-language': 'ar,en;q=0.5' } })).text();
    expect(html).toMatch(/^<!doctype html><html lang="ar" dir="rtl"/);
    expect(html).toContain(`<h2><span>${CATALOGUE.ar['pay.heading'].replace('{coin}', '<bdi>ETH</bdi>')}</span></h2>`);
    expect(html).toContain('<code dir="ltr">1,234.5 ETH</code>');
    expect(html).toContain(`<title>${CATALOGUE.ar.title.replace('{amount}', '1,234.5 ETH').replace('{description}', 'Order 7')}</title>`);
    expect((block(html, 'payframe-boot') as BootData).locale).toBe('ar');
  });

  it("says its HTML varies by Accept-Language and is never stored, so no cache serves one language's page for another", async () => {
    const inv = await h.createInvoice();
    const res = await pages.request(`/pay/${inv.id}`, { headers: { 'accept-language': 'ja' } });
    expect(res.headers.get('vary')).toMatch(/\bAccept-Language\b/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('takes ?locale= over Accept-Language, and inlines only that locale', async () => {
    const inv = await h.createInvoice();
    const html = await (await pages.request(`/pay/${inv.id}?locale=de`, { headers: { 'accept-language': 'fr' } })).text();
    expect(html).toMatch(/<html lang="de" dir="ltr"/);
    expect(html).toContain(CATALOGUE.de.openWallet);
    // The words the page's script reads (the wallet buttons' among them), not the picker's or the server's own.
    const words = block(html, 'payframe-messages') as Record<string, unknown>;
    expect(words['wallet.payWith']).toBe(CATALOGUE.de['wallet.payWith']);
    expect(words['picker.chooseAnother']).toBe(CATALOGUE.de['picker.chooseAnother']);
    expect(Object.keys(words).filter((k) => k.startsWith('picker.heading') || k === 'title' || k.startsWith('notFound.'))).toEqual([]);
    expect(html).not.toContain(CATALOGUE.fr.openWallet);
  });

  it('falls through a language it does not speak to the next choice, and to English when nothing else asks', async () => {
    const inv = await h.createInvoice();
    const viaHeader = await (await pages.request(`/pay/${inv.id}?locale=sw`, { headers: { 'accept-language': 'sw, ja;q=0.8' } })).text();
    expect(viaHeader).toMatch(/<html lang="ja"/);
    const nothing = await (await pages.request(`/pay/${inv.id}`)).text();
    expect(nothing).toMatch(/<html lang="en" dir="ltr"/);
    // Nothing chose English: the page's script may still follow navigator.languages.
    expect((block(nothing, 'payframe-boot') as BootData).localeChosen).toBe(false);
    expect((block(viaHeader, 'payframe-boot') as BootData).localeChosen).toBe(true);
  });

  it('answers 400 naming the parameter when ?locale= is not a language tag, and renders no checkout', async () => {
    const inv = await h.createInvoice();
    const res = await pages.request(`/embed/${inv.id}?locale=${encodeURIComponent('"><script>')}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('The locale parameter must be a language tag');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(inv.invoiceAddress);
  });

  it('offers every locale in a language switch that keeps the other query parameters', async () => {
    const inv = await h.createInvoice();
    const html = await (await pages.request(`/embed/${inv.id}?parent=${encodeURIComponent('http://shop.test')}&theme=dark&locale=ja`)).text();
    expect(html).toContain('<form class="pf-lang" method="get">');
    expect(html).toContain('<input type="hidden" name="parent" value="http://shop.test"/>');
    expect(html).toContain('<input type="hidden" name="theme" value="dark"/>');
    expect(html).not.toContain('name="locale" value=');
    expect(html).toContain('<option value="ja" lang="ja" selected>日本語</option>');
    expect(html.match(/<option /g)).toHaveLength(Object.keys(CATALOGUE).length);
  });

  it('says a payment link is not found in the buyer language', async () => {
    const res = await pages.request('/pay/inv_doesnotexist', { headers: { 'accept-language': 'he' } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/<html lang="he" dir="rtl">/);
    expect(html).toContain(CATALOGUE.he['notFound.title']);
  });

  it("takes the invoice's locale from the merchant API after ?locale= and before Accept-Language", async () => {
    const inv = await h.createInvoice({ locale: 'de', idempotencyKey: 'de-1' });
    expect((inv as unknown as { locale: string }).locale).toBe('de');
    const page = async (query: string) => (await pages.request(`/pay/${inv.id}${query}`, { headers: { 'accept-language': 'fr' } })).text();
    expect(await page('')).toMatch(/<html lang="de"/);
    expect(await page('?locale=ja')).toMatch(/<html lang="ja"/);
    // The same request again is the same invoice; with another locale it is another payload.
    expect((await h.createInvoice({ locale: 'de', idempotencyKey: 'de-1' })).id).toBe(inv.id);
    await expect(h.createInvoice({ locale: 'it', idempotencyKey: 'de-1' })).rejects.toThrow(/409/);
  });

  it('refuses a locale that is not a language tag with a 400 naming the field, and creates nothing', async () => {
    await expect(h.createInvoice({ locale: 'de;}', idempotencyKey: 'bad-locale' })).rejects.toThrow(/400.*locale.*language tag/);
    await expect(h.createInvoice({ locale: 'de', idempotencyKey: 'bad-locale' })).resolves.toMatchObject({ state: 'PENDING_PAYMENT' });
  });

  it("gives a payment widget's picker, and the invoice the buyer's pick creates, the widget's locale", async () => {
    const widgets = createWidgets({ db: h.db, clock: h.clock, engine: h.engine, publicUrl: 'http://payframe.test' });
    const picker = widgetPages({ db: h.db, clock: h.clock, log: silentLog, widgets, limiters: h.limiters, sandbox: h.sandbox, assets: () => assets });
    const widget = await h.client.createWidget({ cryptoCurrencies: ['ETH'], fiatAmount: '30', fiatCurrency: 'USD', description: 'Beans', idempotencyKey: 'w-ar', locale: 'ar' });
    expect(widget.locale).toBe('ar');
    const id = widget.paymentUrl.split('/w/')[1]!;
    expect(await (await picker.request(`/w/${id}`)).text()).toMatch(/<html lang="ar" dir="rtl"/);
    const chosen = await picker.request(`/w/${id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'currency=ETH' });
    expect(chosen.status).toBe(303);
    const pay = await pages.request(new URL(chosen.headers.get('location')!, 'http://x').pathname);
    expect(await pay.text()).toMatch(/<html lang="ar" dir="rtl"/);
  });
});
