/**
 * The world the browser tests run in: per worker, a Payframe on
 * http://127.0.0.1:P1 (temp data dir, sandbox mining only when a test asks)
 * and the demo shop on http://localhost:P2 — a different origin — holding a
 * merchant made by the CLI with the shop's origin. P1 and P2 are whatever
 * free ports the servers bound (port 0).
 */
import { test as base, expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { CreateSingleInvoice } from 'payframe/client';
import { createPayframeClient, type PayframeClient } from '../demo/payframe-client';
import type { CheckoutView } from '../contract/checkout';
import { createMerchant, ROOT, setMerchantOrigins, startDemo, startPayframe, type MerchantCredentials } from '../scripts/lib/stack';

export const SCREENSHOT_DIR = join(ROOT, 'e2e', 'screenshots');

export interface Stack {
  payframeUrl: string;
  shopUrl: string;
  merchant: MerchantCredentials;
  api: PayframeClient;
  /** Creates an invoice through the signed API, as a merchant backend does. */
  createInvoice(extra?: Partial<CreateSingleInvoice>): Promise<{ id: string; paymentUrl: string; invoiceAddress: string }>;
  view(id: string): Promise<CheckoutView>;
  pay(id: string, amount: string, from?: string): Promise<void>;
  mine(blocks?: number): Promise<void>;
  /** Any signed merchant API call, e.g. archive or intervention/resolve. */
  signed(path: string, payload: unknown): Promise<Response>;
  log(): string;
}

let invoices = 0;

export const test = base.extend<object, { stack: Stack }>({
  // Any uncaught error or CSP violation in any page of a test fails it: the pages send strict CSPs, and hydration must be clean.
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await use(page);
    expect(problems).toEqual([]);
  },
  stack: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'payframe-e2e-'));
      const logFile = join(dir, 'servers.log');
      // Both on port 0: each reports the port it bound, so parallel workers (and parallel runs) never race for one.
      const payframe = await startPayframe({ dataDir: dir, env: { NODE_ENV: 'test', SANDBOX: '1', SANDBOX_AUTOMINE_MS: '0' }, log: logFile });
      const payframeUrl = payframe.url;
      const merchant = await createMerchant({ dataDir: dir, origins: [] });
      const shop = await startDemo({ payframeUrl, merchant, log: logFile });
      const shopUrl = shop.url;
      // The shop's origin exists only now that it listens; until then no page of it was served.
      await setMerchantOrigins({ dataDir: dir, account: merchant.account, origins: [shopUrl] });
      const api = createPayframeClient({ apiUrl: payframeUrl, credentials: merchant });
      await use({
        payframeUrl,
        shopUrl,
        merchant,
        api,
        async createInvoice(extra = {}) {
          const key = `e2e-${process.pid}-${++invoices}-${Date.now()}`;
          return api.createInvoice({
            amount: '0.01',
            currency: 'ETH',
            description: 'Order E2E: Pour-over kit',
            idempotencyKey: key,
            externalId: key,
            returnUrl: `${shopUrl}/thanks?order=${key}`,
            supportUrl: `${shopUrl}/support`,
            logoUrl: `${shopUrl}/static/logo.svg`,
            ...extra,
          });
        },
        view: (id) => api.checkoutView(id),
        async pay(id, amount, from) {
          const v = await api.checkoutView(id);
          await api.sandboxPay({ address: v.address, currency: v.currency.code, amount, from });
        },
        async mine(blocks = 1) {
          await api.sandboxMine(blocks);
        },
        signed(path, payload) {
          const request = api.api.sign({ method: 'POST', path: path as `/${string}` }, payload);
          return fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
        },
        log: () => readFileSync(logFile, 'utf8'),
      });
      await Promise.all([shop.stop(), payframe.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
    // Two server starts (each given STARTUP_MS by stack.ts) on a machine that may be running another suite beside this one.
    { scope: 'worker', timeout: 300_000 },
  ],
});

export { expect };

/** The checkout root inside a page or frame. */
export const checkout = (scope: Page | FrameLocator): Locator => scope.locator('.pf');

export async function expectState(scope: Page | FrameLocator, state: CheckoutView['state'], screen?: string): Promise<void> {
  await expect(checkout(scope)).toHaveAttribute('data-state', state);
  if (screen) await expect(checkout(scope)).toHaveAttribute('data-screen', screen);
}

/** Decodes the QR code the buyer sees, from a screenshot; retries while the image loads. Works with script disabled. */
export async function decodeQr(qr: Locator): Promise<string | undefined> {
  await expect(qr).toBeVisible();
  let text: string | undefined;
  await expect
    .poll(async () => {
      const png = PNG.sync.read(await qr.screenshot());
      text = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
      return text;
    })
    .toBeTruthy();
  return text;
}

/** Writes e2e/screenshots/<name>-360.png and -1280.png of the page as it is now. */
export async function shoot(page: Page, name: string, opts: { check?: () => Promise<void> } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    // The embed's height follows a resize message; give layout a frame to settle.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await opts.check?.();
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
  }
  if (before) await page.setViewportSize(before);
}
