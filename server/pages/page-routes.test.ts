import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BootData } from '../../widget/checkout/boot';
import { DAY_MS, LATE_PAYMENT_WINDOW_MS } from '../invoices/state-machine';
import { harnessPerTest, silentLog } from '../testing/harness';
import { pageRoutes } from './page-routes';
import { qrSvg, svgDataUri } from './qr';
import { fakeAsset, fakeAssets } from '../testing/fake-assets';

const assets = fakeAssets({ files: new Map([['assets/main-1.js', fakeAsset('console.log(1)', 'text/javascript; charset=utf-8')]]), picker: { script: '/assets/picker-main-1.js', styles: [] } });

function bootOf(html: string): BootData {
  const m = /<script type="application\/json" id="payframe-boot">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as BootData;
}

describe('page routes', () => {
  let pages: ReturnType<typeof pageRoutes>;
  const h = harnessPerTest();
  beforeEach(async () => {
    pages = pageRoutes({ db: h.db, clock: h.clock, log: silentLog, assets: () => assets });
  });

  describe('GET /pay/:id', () => {
    // A string test on purpose: this is about the bytes a buyer without script gets; the checkout's behaviour is tested in widget/checkout.
    it('renders amount, address, QR and wallet link into the HTML, before any script, and no copy button, which needs script', async () => {
      const inv = await h.createInvoice({ amount: '1234.12345678', description: 'Order 7' });
      const res = await pages.request(`/pay/${inv.id}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<code dir="ltr">1,234.12345678 ETH</code>');
      // In groups of four, each its own span: read in groups, never broken mid-group.
      const groups = inv.invoiceAddress.match(/^0x|.{1,4}/g)!.map((g) => `<span class="pf-g">${g}</span>`);
      expect(html).toContain(`<code dir="ltr">${groups.join('')}</code>`);
      // The QR code is in the page itself: the first paint needs no request for it.
      const svg = await qrSvg(`ethereum:${inv.invoiceAddress}@1337?value=1234123456780000000000`);
      const src = /<img src="(data:[^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
      expect(src).toBe(svgDataUri(svg));
      expect(html).not.toContain(`/qr/${inv.id}/`);
      expect(html).toContain(`href="ethereum:${inv.invoiceAddress}@1337?value=1234123456780000000000" target="_top">Open in wallet</a>`);
      expect(html).not.toMatch(/<button[^>]*>Copy/);
      expect(html).toContain('<script type="module" src="/assets/main-1.js"></script>');
    });

    it('hands "Pay with wallet" the invoice’s transaction, the same payment as its URI, and the words its buttons show', async () => {
      const inv = await h.createInvoice({ amount: '0.5' });
      const html = await (await pages.request(`/pay/${inv.id}`)).text();
      const view = bootOf(html).view;
      expect(view.paymentUri).toBe(`ethereum:${inv.invoiceAddress}@1337?value=500000000000000000`);
      expect(view.walletTx).toEqual({ chainId: '0x539', to: inv.invoiceAddress, value: `0x${(5n * 10n ** 17n).toString(16)}` });
      const words = JSON.parse(/<script type="application\/json" id="payframe-messages">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, string>;
      expect(words['wallet.payWith']).toBe('Pay with {wallet}');
    });

    it('forbids framing and sends a CSP without inline script', async () => {
      const inv = await h.createInvoice();
      const res = await pages.request(`/pay/${inv.id}`);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('refreshes itself without script while the invoice can change, and not after a final state', async () => {
      const inv = await h.createInvoice();
      expect(await (await pages.request(`/pay/${inv.id}`)).text()).toContain('<noscript><meta http-equiv="refresh"');
      await h.pay(inv.invoiceAddress, '0.01');
      await h.mine(3);
      expect(await (await pages.request(`/pay/${inv.id}`)).text()).not.toContain('http-equiv="refresh"');
    });

    it('keeps refreshing an expired page, every 30 s, while a late payment can still come', async () => {
      const inv = await h.createInvoice();
      h.clock.advance(DAY_MS);
      await h.engine.expireDue();
      const html = await (await pages.request(`/pay/${inv.id}`)).text();
      expect(html).toContain('<noscript><meta http-equiv="refresh" content="30"></noscript>');
      expect(bootOf(html).view).toMatchObject({ state: 'ARCHIVED', final: false });
      await h.pay(inv.invoiceAddress, '0.01');
      expect(bootOf(await (await pages.request(`/pay/${inv.id}`)).text()).view).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' });
    });

    it('stops refreshing an expired page when the late-payment window closes, and at once for a cancelled one', async () => {
      const expired = await h.createInvoice();
      const cancelled = await h.createInvoice();
      await h.call('/api/v1/invoice/archive', { id: cancelled.id });
      expect(await (await pages.request(`/pay/${cancelled.id}`)).text()).not.toContain('http-equiv="refresh"');
      h.clock.advance(DAY_MS + LATE_PAYMENT_WINDOW_MS + 1);
      await h.engine.expireDue();
      const html = await (await pages.request(`/pay/${expired.id}`)).text();
      expect(bootOf(html).view).toMatchObject({ state: 'ARCHIVED', final: true });
      expect(html).not.toContain('http-equiv="refresh"');
    });

    it('puts none of the merchant secrets in the page', async () => {
      const inv = await h.createInvoice({ externalId: 'order-secret-ext', idempotencyKey: 'idem-secret-key' });
      const html = await (await pages.request(`/pay/${inv.id}`)).text();
      for (const secret of [h.merchant.secret, h.merchant.key, h.merchant.account, 'order-secret-ext', 'idem-secret-key']) {
        expect(html).not.toContain(secret);
      }
    });

    it('keeps a description that contains </script> from ending the data block', async () => {
      const inv = await h.createInvoice({ description: 'x</script><script>alert(1)</script>' });
      const html = await (await pages.request(`/pay/${inv.id}`)).text();
      expect(html).not.toContain('<script>alert(1)');
      expect(bootOf(html).view.description).toBe('x</script><script>alert(1)</script>');
    });

    it('answers 404 for an unknown id without saying more', async () => {
      const res = await pages.request('/pay/inv_doesnotexist');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    });

    it('answers 503 with the fix when the checkout is not built', async () => {
      const inv = await h.createInvoice();
      const logged: unknown[] = [];
      const unbuilt = pageRoutes({
        db: h.db,
        clock: h.clock,
        log: { ...silentLog, error: (...args: unknown[]) => logged.push(args) },
        assets: () => {
          throw new Error('the checkout is not built (no /srv/payframe/dist/checkout); run `npm run build`');
        },
      });
      const res = await unbuilt.request(`/pay/${inv.id}`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).toContain('npm run build');
      expect(text).not.toContain('/srv/payframe');
      expect(JSON.stringify(logged)).toContain('/srv/payframe');
    });
  });

  describe('GET /embed/:id', () => {
    it("allows framing by the merchant's origins only", async () => {
      const inv = await h.createInvoice();
      const res = await pages.request(`/embed/${inv.id}`);
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors http://shop.test');
      expect(res.headers.get('x-frame-options')).toBeNull();
    });

    it('posts to the parent origin only when it is one of the merchant origins', async () => {
      const inv = await h.createInvoice();
      const allowed = bootOf(await (await pages.request(`/embed/${inv.id}?parent=${encodeURIComponent('http://shop.test')}`)).text());
      expect(allowed.parentOrigin).toBe('http://shop.test');
      expect(allowed.mode).toBe('embed');
      const stranger = bootOf(await (await pages.request(`/embed/${inv.id}?parent=${encodeURIComponent('https://evil.example')}`)).text());
      expect(stranger.parentOrigin).toBeNull();
    });

    it('takes a theme from the query and ignores anything else', async () => {
      const inv = await h.createInvoice();
      expect(await (await pages.request(`/embed/${inv.id}?theme=dark`)).text()).toContain('data-theme="dark"');
      expect(await (await pages.request(`/embed/${inv.id}?theme=%22onload`)).text()).toContain('data-theme="auto"');
    });
  });

  describe('GET /qr/:id/:version.svg', () => {
    it("draws that version's payment URI, and follows the remainder after an underpayment", async () => {
      const inv = await h.createInvoice();
      await h.pay(inv.invoiceAddress, '0.004');
      await h.mine(1);
      const view = (await (await h.app.request(`/api/checkout/${inv.id}`)).json()) as { version: number; paymentUri: string; amountDue: string };
      expect(view.amountDue).toBe('0.006');
      const first = await pages.request(`/qr/${inv.id}/1.svg`);
      expect(first.headers.get('content-type')).toBe('image/svg+xml');
      expect(first.headers.get('cache-control')).toContain('immutable');
      expect(await first.text()).toBe(await qrSvg(`ethereum:${inv.invoiceAddress}@1337?value=10000000000000000`));
      expect(await (await pages.request(`/qr/${inv.id}/${view.version}.svg`)).text()).toBe(await qrSvg(view.paymentUri));
    });

    it('answers 404 for a version that does not exist', async () => {
      const inv = await h.createInvoice();
      expect((await pages.request(`/qr/${inv.id}/99.svg`)).status).toBe(404);
      expect((await pages.request(`/qr/${inv.id}/1.png`)).status).toBe(404);
    });
  });

  describe('GET /favicon.svg', () => {
    it('serves a small SVG icon, cached for long, that the checkout pages and the not-found page carry inline', async () => {
      const res = await pages.request('/favicon.svg');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
      const svg = Buffer.from(await res.arrayBuffer());
      expect(svg.toString()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/s);
      expect(svg.length).toBeLessThan(1024);

      // The same icon inside the page, so it costs no request after the HTML.
      const icon = `<link rel="icon" href="${svgDataUri(svg.toString())}" type="image/svg+xml">`;
      const inv = await h.createInvoice();
      expect(await (await pages.request(`/pay/${inv.id}`)).text()).toContain(icon);
      expect(await (await pages.request('/pay/inv_doesnotexist')).text()).toContain(icon);
    });

    it('answers /favicon.ico with the same icon, for browsers that look there by habit', async () => {
      const res = await pages.request('/favicon.ico');
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toBe(await (await pages.request('/favicon.svg')).text());
    });
  });

  describe('GET /widget.js and /assets', () => {
    it('serves the loader gzipped to clients that accept it', async () => {
      const res = await pages.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe('window.Payframe={}');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    });

    it('serves the wallet relay for merchant pages to import (CORS: a module from another origin)', async () => {
      const res = await pages.request('/relay.js');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(await res.text()).toBe('export function relayWallets() {}');
    });

    it('serves hashed assets as immutable and nothing else from the build', async () => {
      const res = await pages.request('/assets/main-1.js');
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect(await res.text()).toBe('console.log(1)');
      expect((await pages.request('/assets/..%2Fwidget.js')).status).toBe(404);
    });
  });
});
