/**
 * Size budgets over the production build, as served: the loader, and every
 * script and stylesheet the checkout pages actually load in Chromium, plus
 * the QR code the page carries inline. Measured as gzip -9 of the bytes
 * (what the server sends to gzip clients).
 */
import type { Page } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import { ROOT } from '../scripts/lib/stack';
import { expect, test } from './fixtures';

export const LOADER_BUDGET = 1536;
export const PAGE_BUDGET = 14 * 1024;
/**
 * What "Pay with wallet" (issue 16) adds to the checkout page: its buttons,
 * discovery, the chain switch or add, the failures and the checkout's end of
 * the iframe relay, inline in the page's script and stylesheet (its words are
 * in the page's words, counted apart).
 */
export const WALLET_BUDGET = 1024;
/** The merchant page's end of the wallet relay, which widget.js fetches only when the page has a wallet. */
const RELAY_BUDGET = 1024;

const gzipSize = (body: Buffer) => gzipSync(body, { level: 9 }).length;

/** Where "Pay with wallet" enters the checkout: each file, and what of it is the wallet's. */
const WALLET_LINES: [file: string, lines: RegExp][] = [
  ['widget/checkout/PayScreen.tsx', /^.*WalletButtons.*$/gm],
  ['widget/checkout/main.tsx', /^.*relayedWallets.*$/gm],
  ['widget/checkout/checkout.css', /\/\* A wallet's icon[^]*?\}\n/],
];

/** The gzip size of the script and stylesheets a checkout build's page loads (its manifest's entry). */
async function entrySize(outDir: string): Promise<number> {
  const manifest = JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
  const entry = manifest['widget/checkout/main.tsx']!;
  const files = [entry.file, ...(entry.css ?? [])];
  const sizes = await Promise.all(files.map(async (f) => gzipSize(await readFile(join(outDir, f)))));
  return sizes.reduce((a, b) => a + b, 0);
}

interface Load {
  url: string;
  path: string;
  status: number;
  size: number;
}

/** Every script and stylesheet the page loads, with its status and gzip size. */
function countLoads(page: Page): Load[] {
  const loaded: Load[] = [];
  page.on('response', async (r) => {
    if (['script', 'stylesheet'].includes(r.request().resourceType())) loaded.push({ url: r.url(), path: new URL(r.url()).pathname, status: r.status(), size: gzipSize(await r.body()) });
  });
  return loaded;
}

/** What was counted was the assets themselves: a 404's small body (a build replaced mid-run) must not pass for a small bundle. */
const expectAllFound = (loaded: Load[]) => expect(loaded.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.url}`)).toEqual([]);

test('/widget.js is at most 1.5 KB gzip', async ({ stack }) => {
  const res = await fetch(`${stack.payframeUrl}/widget.js`, { headers: { 'accept-encoding': 'identity' } });
  expect(res.status).toBe(200);
  const size = gzipSize(Buffer.from(await res.arrayBuffer()));
  test.info().annotations.push({ type: 'size', description: `widget.js ${size} B gzip (budget ${LOADER_BUDGET})` });
  console.log(`widget.js: ${size} B gzip (budget ${LOADER_BUDGET})`);
  expect(size, `widget.js is ${size} B gzip; the budget is ${LOADER_BUDGET}`).toBeLessThanOrEqual(LOADER_BUDGET);
});

test('/relay.js, the wallet relay a merchant page fetches only when it has a wallet, is at most 1 KB gzip', async ({ stack }) => {
  const res = await fetch(`${stack.payframeUrl}/relay.js`, { headers: { 'accept-encoding': 'identity' } });
  expect(res.status).toBe(200);
  const size = gzipSize(Buffer.from(await res.arrayBuffer()));
  console.log(`relay.js: ${size} B gzip (budget ${RELAY_BUDGET})`);
  expect(size, `relay.js is ${size} B gzip; the budget is ${RELAY_BUDGET}`).toBeLessThanOrEqual(RELAY_BUDGET);
});

for (const path of ['pay', 'embed'] as const) {
  test(`/${path}/:id loads at most 14 KB gzip of JS and CSS, its inline QR code included`, async ({ page, stack }) => {
    const inv = await stack.createInvoice();
    const loaded = countLoads(page);
    await page.goto(`${stack.payframeUrl}/${path}/${inv.id}`, { waitUntil: 'networkidle' });
    await expect(page.locator('.pf')).toBeVisible();
    // The QR code came inside the HTML instead of as a request of its own: it counts all the same.
    const qr = await page.getByRole('img', { name: /^QR code/ }).getAttribute('src');
    expect(qr).toMatch(/^data:image\/svg\+xml,/);
    loaded.push({ url: `${stack.payframeUrl}/inline-qr`, path: '/inline-qr', status: 200, size: gzipSize(Buffer.from(qr!)) });
    expectAllFound(loaded);
    const total = loaded.reduce((sum, r) => sum + r.size, 0);
    const detail = loaded.map((r) => `${r.path} ${r.size} B`).join(', ');
    test.info().annotations.push({ type: 'size', description: `/${path}: ${total} B gzip (${detail}; budget ${PAGE_BUDGET})` });
    console.log(`/${path}/:id: ${total} B gzip of JS+CSS (${detail}; budget ${PAGE_BUDGET})`);
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(total, `/${path}/:id loads ${total} B gzip of JS+CSS (${detail}); the budget is ${PAGE_BUDGET}`).toBeLessThanOrEqual(PAGE_BUDGET);
  });
}

export const LOCALE_BUDGET = 2048;

test("the words a page inlines for its language are at most 2 KB gzip, counted apart from the JS and CSS", async ({ stack }) => {
  const inv = await stack.createInvoice();
  // Ukrainian and Russian are the largest catalogues, Arabic the right-to-left one.
  for (const locale of ['uk', 'ru', 'ar', 'en']) {
    const html = await (await fetch(`${stack.payframeUrl}/pay/${inv.id}?locale=${locale}`)).text();
    const block = /<script type="application\/json" id="payframe-messages">(.*?)<\/script>/s.exec(html)?.[1];
    expect(block, `/pay?locale=${locale} inlines its words`).toBeTruthy();
    const size = gzipSize(Buffer.from(block!));
    console.log(`/pay/:id?locale=${locale}: ${size} B gzip of inlined words (budget ${LOCALE_BUDGET})`);
    expect(size, `${locale}'s inlined words are ${size} B gzip; the budget is ${LOCALE_BUDGET}`).toBeLessThanOrEqual(LOCALE_BUDGET);
  }
});

test('Pay with wallet adds at most 1 KB gzip to the checkout: the production build against the same build without it', async () => {
  test.setTimeout(300_000);
  const bare = await mkdtemp(join(tmpdir(), 'payframe-no-wallet-'));
  // Vite sets NODE_ENV=production in the process it builds in; this worker's later tests must not inherit it.
  const nodeEnv = process.env.NODE_ENV;
  try {
    // The same sources without the wallet's lines: the button in the pay screen, the relay's start, the icon's style.
    const stripped: string[] = [];
    const withoutWallet: Plugin = {
      name: 'without-wallet',
      enforce: 'pre',
      transform(code, id) {
        const strip = WALLET_LINES.find(([file]) => id.endsWith(file));
        if (!strip) return null;
        const out = code.replace(strip[1], '');
        if (out !== code) stripped.push(strip[0]);
        return out;
      },
    };
    await build({ root: ROOT, mode: 'production', logLevel: 'warn', plugins: [withoutWallet], build: { outDir: bare, emptyOutDir: true } });
    // Each strip took something out: a renamed line would otherwise make the wallet look free.
    expect(stripped.sort()).toEqual(WALLET_LINES.map(([file]) => file).sort());
    const withIt = await entrySize(join(ROOT, 'dist/checkout'));
    const without = await entrySize(bare);
    const added = withIt - without;
    console.log(`Pay with wallet adds ${added} B gzip to /pay and /embed (${withIt} B with it, ${without} B without; budget ${WALLET_BUDGET})`);
    expect(added, `Pay with wallet adds ${added} B gzip; the budget is ${WALLET_BUDGET}`).toBeLessThanOrEqual(WALLET_BUDGET);
    // The stripped build really lacks it (no button code), and the real one has it.
    expect(without).toBeLessThan(withIt);
  } finally {
    await rm(bare, { recursive: true, force: true });
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
});

test('with a browser wallet, /pay/:id shows its button and loads nothing more than without one', async ({ page, stack }) => {
  // A wallet that announces itself (EIP-6963) and does nothing else: enough for the button to appear.
  await page.addInitScript(() => {
    const detail = Object.freeze({ info: { uuid: 'budget', name: 'Budget wallet', icon: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E', rdns: 'test.budget' }, provider: { request: () => new Promise(() => undefined) } });
    addEventListener('eip6963:requestProvider', () => dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail })));
  });
  const inv = await stack.createInvoice();
  const loaded = countLoads(page);
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expect(page.getByRole('button', { name: 'Pay with Budget wallet' })).toBeVisible();
  expectAllFound(loaded);
  expect(loaded.map((r) => r.path.replace(/-[\w-]+\.(js|css)$/, '.$1')).sort()).toEqual(['/assets/main.css', '/assets/main.js']);
});

test('/pay/:id requests nothing after its HTML but its script and stylesheet, and every one comes gzipped', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  const responses: { type: string; url: string; encoding: string | undefined }[] = [];
  page.on('response', (r) => responses.push({ type: r.request().resourceType(), url: r.url(), encoding: r.headers()['content-encoding'] }));
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`, { waitUntil: 'load' });
  await expect(page.getByRole('img', { name: /^QR code/ })).toBeVisible();
  // What the script opens once running is the live status (the event stream, or polling): not part of loading the page.
  const live = (r: { type: string; url: string }) => ['eventsource', 'fetch'].includes(r.type) && new URL(r.url).pathname.startsWith(`/api/checkout/${inv.id}`);
  // The merchant's logo (the invoice's logoUrl) comes from the merchant's own server.
  const loads = responses.filter((r) => !live(r) && new URL(r.url).origin === new URL(stack.payframeUrl).origin);
  expect([...new Set(loads.map((r) => r.type))].sort(), loads.map((r) => `${r.type} ${r.url}`).join('\n')).toEqual(['document', 'script', 'stylesheet']);
  for (const r of loads) expect(r.encoding, r.url).toBe('gzip');
});

for (const path of ['w', 'embed/w'] as const) {
  test(`the payment widget's picker /${path}/:id loads at most 14 KB gzip of JS and CSS`, async ({ page, stack }) => {
    const widget = await stack.api.createWidget({ cryptoCurrencies: ['USDT_MATIC', 'ETH'], fiatAmount: '24.50', fiatCurrency: 'USD', description: 'Budget', idempotencyKey: `budget-${path}-${process.pid}-${Date.now()}` });
    const id = widget.paymentUrl.split('/w/')[1]!;
    const loaded = countLoads(page);
    await page.goto(`${stack.payframeUrl}/${path}/${id}`, { waitUntil: 'networkidle' });
    await expect(page.locator('.pf')).toBeVisible();
    expectAllFound(loaded);
    const total = loaded.reduce((sum, r) => sum + r.size, 0);
    const detail = loaded.map((r) => `${r.path} ${r.size} B`).join(', ');
    console.log(`/${path}/:id: ${total} B gzip of JS+CSS (${detail}; budget ${PAGE_BUDGET})`);
    expect(loaded.length).toBeGreaterThanOrEqual(2);
    expect(total, `/${path}/:id loads ${total} B gzip of JS+CSS (${detail}); the budget is ${PAGE_BUDGET}`).toBeLessThanOrEqual(PAGE_BUDGET);
  });
}

test("the pages' icons: an SVG under 1 KB that each page's CSP lets load, for Payframe and for the demo shop", async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  for (const url of [`${stack.payframeUrl}/pay/${inv.id}`, `${stack.payframeUrl}/pay/inv_unknown`, `${stack.shopUrl}/support`]) {
    await page.goto(url);
    // Loaded as an image of the page, so the page's img-src decides (a refusal fails the test through the fixture), and it must decode as one.
    const href = await page.evaluate(async () => {
      const img = new Image();
      img.src = document.querySelector<HTMLLinkElement>('link[rel=icon]')!.href;
      await img.decode();
      return img.src;
    });
    const res = await fetch(href);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const size = (await res.arrayBuffer()).byteLength;
    console.log(`${new URL(href).pathname}: ${size} B`);
    expect(size, `${href} is ${size} B`).toBeLessThan(1024);
  }
});
