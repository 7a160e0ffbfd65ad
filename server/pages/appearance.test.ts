/**
 * A merchant's appearance and display name on the checkout pages: the
 * merchant API sets the defaults, a page URL overrides them, and nothing a
 * URL or a merchant passes gets into the page or its stylesheet unchecked.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Fields, Logger } from '../logger';
import { harnessPerTest } from '../testing/harness';
import { fakeAssets } from '../testing/fake-assets';
import { createWidgets } from '../widgets/widgets';
import { pageRoutes } from './page-routes';
import { widgetPages } from './widget-pages';

const assets = fakeAssets();

/** The stylesheets a page links, in order. */
const stylesheets = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
const themeOf = (html: string) => /<html[^>]* data-theme="(\w+)"/.exec(html)?.[1];

describe('checkout appearance', () => {
  const h = harnessPerTest();
  let warnings: { message: string; fields?: Fields | undefined }[];
  let pages: ReturnType<typeof pageRoutes>;
  beforeEach(() => {
    warnings = [];
    const log: Logger = { info() {}, error() {}, warn: (message, fields) => warnings.push({ message, fields }) };
    pages = pageRoutes({ db: h.db, clock: h.clock, log, assets: () => assets });
  });

  const page = async (path: string) => {
    const res = await pages.request(path);
    expect(res.status).toBe(200);
    return { html: await res.text(), csp: res.headers.get('content-security-policy')! };
  };
  const css = async (href: string) => {
    const res = await pages.request(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    return res.text();
  };

  it("links no stylesheet of its own and keeps theme auto when the merchant has no appearance", async () => {
    const inv = await h.createInvoice();
    const { html } = await page(`/pay/${inv.id}`);
    expect(stylesheets(html)).toEqual(assets.entry.styles);
    expect(themeOf(html)).toBe('auto');
  });

  it("renders the merchant's default appearance as --pf-* variables in a stylesheet of the page's own origin, under a CSP that stays style-src 'self'", async () => {
    const profile = await h.client.updateProfile({ appearance: { theme: 'dark', variables: { colorPrimary: '#ffd166', borderRadius: '4px', fontFamily: "'Inter', sans-serif" } } });
    expect(profile.appearance).toEqual({ theme: 'dark', variables: { colorPrimary: '#ffd166', borderRadius: '4px', fontFamily: "'Inter', sans-serif" } });
    const inv = await h.createInvoice();
    for (const mode of ['pay', 'embed']) {
      const { html, csp } = await page(`/${mode}/${inv.id}`);
      expect(themeOf(html)).toBe('dark');
      const href = stylesheets(html).at(-1)!;
      expect(href).toMatch(/^\/appearance\.css\?/);
      const sheet = await css(href);
      expect(sheet).toContain('--pf-accent:#ffd166;--pf-on-accent:#000000');
      expect(sheet).toContain('--pf-radius:4px;--pf-font:"Inter",sans-serif');
      // Dark only: no block for the light scheme.
      expect(sheet).not.toContain('@media');
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toMatch(/unsafe-inline|sha256-|nonce-/);
    }
  });

  it("lets the page URL override the merchant's default, variable by variable, and writes both schemes for theme auto", async () => {
    await h.client.updateProfile({ appearance: { theme: 'light', variables: { colorPrimary: '#0a58ca', borderRadius: '4px' } } });
    const inv = await h.createInvoice();
    const { html } = await page(`/pay/${inv.id}?theme=auto&colorBackground=%230b1d3a&colorPrimary=%23ffd166&colorText=%23f5f7fa`);
    expect(themeOf(html)).toBe('auto');
    const sheet = await css(stylesheets(html).at(-1)!);
    expect(sheet).toMatch(/^html\[data-theme\]\{--pf-bg:#0b1d3a;--pf-fg:#f5f7fa;.*--pf-accent:#ffd166;.*--pf-scheme:dark;--pf-radius:4px\}@media \(prefers-color-scheme:dark\)\{html\[data-theme\]\{--pf-bg:#0b1d3a;/);
    expect(warnings).toEqual([]);
  });

  it('ignores an invalid appearance in the URL — the buyer still gets a checkout, in the merchant\'s default — and logs a warning naming the problem', async () => {
    await h.client.updateProfile({ appearance: { theme: 'light', variables: { colorPrimary: '#0a58ca' } } });
    const inv = await h.createInvoice();
    for (const [query, problem] of [
      ['colorPrimary=%23ffff00', /^variables\.colorPrimary: colorPrimary #ffff00 on the default colorBackground #ffffff has a contrast of 1\.07:1/],
      ['colorPrimary=red%3B%7Dbody%7Bdisplay%3Anone', /^variables\.colorPrimary: must be a colour/],
      ['fontFamily=x%3B%7D%3C%2Fstyle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E', /^variables\.fontFamily: must be a comma-separated list of font names/],
      ['borderRadius=url(javascript%3Aalert(1))', /^variables\.borderRadius: must be a length/],
      ['theme=night', /^theme: must be one of auto, light, dark/],
    ] as const) {
      warnings = [];
      const { html } = await page(`/pay/${inv.id}?${query}`);
      expect(themeOf(html), query).toBe('light');
      const sheet = await css(stylesheets(html).at(-1)!);
      expect(sheet, query).toContain('--pf-accent:#0a58ca');
      expect(html).not.toMatch(/alert|display:none|ffff00|night/);
      expect(warnings, query).toHaveLength(1);
      expect(warnings[0]!.fields).toMatchObject({ account: h.merchant.account });
      expect(warnings[0]!.fields!.problem).toMatch(problem);
    }
  });

  it('answers /appearance.css asked for anything invalid with a 400 that says why, and writes no CSS', async () => {
    for (const [query, message] of [
      ['colorText=%23fff%3B%7D', 'variables.colorText: must be a colour: #rgb, #rrggbb or rgb(r, g, b)'],
      ['theme=light&colorPrimary=%23ffff00', 'variables.colorPrimary: colorPrimary #ffff00 on the default colorBackground #ffffff has a contrast of 1.07:1, below the 4.5:1 WCAG AA requires for text. Choose another colorPrimary'],
    ]) {
      const res = await pages.request(`/appearance.css?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(message);
    }
  });

  it("shows the merchant's display name in the header of /pay and /embed, as text", async () => {
    const inv = await h.createInvoice();
    expect((await page(`/pay/${inv.id}`)).html).not.toContain('pf-merchant');
    await h.client.updateProfile({ displayName: '  Café <b>Noir</b> & "Co"  ' });
    for (const mode of ['pay', 'embed']) {
      const { html } = await page(`/${mode}/${inv.id}`);
      expect(html).toContain('<p class="pf-merchant" dir="auto">Café &lt;b>Noir&lt;/b> &amp; &quot;Co&quot;</p>');
      expect(html).not.toContain('<b>Noir');
    }
  });
});

describe('payment widget picker appearance', () => {
  const h = harnessPerTest();

  it("shows the merchant's name and appearance on the picker, and carries the URL's appearance through the choice to the checkout", async () => {
    const widgets = createWidgets({ db: h.db, clock: h.clock, engine: h.engine, publicUrl: 'http://payframe.test' });
    const log: Logger = { info() {}, warn() {}, error() {} };
    const pages = widgetPages({ db: h.db, clock: h.clock, log, widgets, limiters: h.limiters, sandbox: h.sandbox, assets: () => assets });
    await h.client.updateProfile({ displayName: 'Beans & Co', appearance: { variables: { borderRadius: '2px' } } });
    const widget = await h.client.createWidget({ cryptoCurrencies: ['ETH'], fiatAmount: '30', fiatCurrency: 'USD', description: 'Espresso beans', idempotencyKey: 'order-9' });
    const id = widget.paymentUrl.split('/w/')[1]!;
    const res = await pages.request(`/w/${id}?theme=dark&colorPrimary=%23ffd166`);
    const html = await res.text();
    expect(html).toContain('<p class="pf-merchant" dir="auto">Beans &amp; Co</p>');
    expect(themeOf(html)).toBe('dark');
    expect(html).toContain(`action="/w/${id}?theme=dark&amp;colorPrimary=%23ffd166"`);
    // In one order whatever the order asked in, so one appearance is one cached file.
    expect(stylesheets(html).at(-1)).toBe('/appearance.css?theme=dark&colorPrimary=%23ffd166&borderRadius=2px');
    const chosen = await pages.request(`/w/${id}?theme=dark&colorPrimary=%23ffd166`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'currency=ETH' });
    expect(chosen.headers.get('location')).toMatch(new RegExp(`^/pay/inv_[\\w-]+\\?theme=dark&colorPrimary=%23ffd166&widget=${id}$`));
  });
});
