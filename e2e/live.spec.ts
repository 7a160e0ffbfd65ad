/**
 * Staying live when the network misbehaves: a dropped SSE stream resumes
 * without a gap, a failing one gives way to polling with the ETag, and a
 * finished checkout goes quiet. Without script the hosted page still shows
 * everything and refreshes itself.
 */
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { checkout, decodeQr, expect, expectState, shoot, test } from './fixtures';

const isPoll = (url: string) => /^\/api\/checkout\/inv_[\w-]+$/.test(new URL(url).pathname);

/**
 * Stops the page's clock (installed before the page loaded), so that a label shown for 2 s stays until the test runs
 * the clock on: a busy machine can take longer than 2 s to look. A minute ahead, as pausing in the past is refused.
 */
async function holdClock(page: Page): Promise<void> {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 60_000);
}

test('a dropped SSE stream resumes with Last-Event-ID and replays what it missed', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  // The stream goes through a relay the test can cut mid-stream, as a proxy timeout or a network change would.
  const lastEventIds: (string | undefined)[] = [];
  const streams: ServerResponse[] = [];
  const relay = createServer((req, res) => {
    lastEventIds.push(req.headers['last-event-id'] as string | undefined);
    streams.push(res);
    const headers = { ...req.headers, host: new URL(stack.payframeUrl).host };
    request(`${stack.payframeUrl}${req.url}`, { headers }, (upstream) => {
      res.writeHead(upstream.statusCode!, upstream.headers);
      upstream.pipe(res);
    }).end();
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  await page.route('**/api/checkout/*/events', (route) => route.continue({ url: relayUrl + new URL(route.request().url()).pathname }));
  const polls: string[] = [];
  page.on('request', (r) => isPoll(r.url()) && polls.push(r.url()));
  // The ids of the stream events the page has received, to cut the stream only once it has the first.
  await page.addInitScript(() => {
    const w = window as unknown as { sseIds: string[] };
    w.sseIds = [];
    window.EventSource = class extends window.EventSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('invoice', (e) => w.sseIds.push((e as MessageEvent).lastEventId));
      }
    };
  });

  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT');
  await expect.poll(() => streams.length).toBe(1);
  await expect.poll(() => page.evaluate(() => (window as unknown as { sseIds: string[] }).sseIds)).toEqual(['1']);
  streams[0]!.socket!.destroy();
  // While the page is disconnected the buyer's payment arrives (version 2).
  await stack.pay(inv.id, '0.01');
  await expectState(page, 'MEM_POOL_FOUND');
  expect(lastEventIds).toEqual([undefined, '1']);
  expect(polls).toEqual([]);
  relay.close();
  relay.closeAllConnections();
});

test('when SSE fails, polling with If-None-Match brings the next status, and stops after the last', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  let sseAttempts = 0;
  await page.route('**/api/checkout/*/events', (route) => {
    sseAttempts++;
    return route.abort('connectionreset');
  });
  const polls: { etag: string | undefined; status: number }[] = [];
  page.on('response', (r) => isPoll(r.url()) && polls.push({ etag: r.request().headers()['if-none-match'], status: r.status() }));
  // The page's timers on a clock the test can run ahead, and its poll requests counted as they are made.
  await page.clock.install();
  await page.addInitScript(() => {
    const w = window as unknown as { pollsMade: number };
    w.pollsMade = 0;
    const send = window.fetch;
    window.fetch = (input, init) => {
      if (/^\/api\/checkout\/inv_[\w-]+$/.test(new URL(String(input), location.href).pathname)) w.pollsMade++;
      return send(input, init);
    };
  });
  const pollsMade = () => page.evaluate(() => (window as unknown as { pollsMade: number }).pollsMade);
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expect.poll(() => polls.length).toBeGreaterThan(0);
  expect(polls[0]).toEqual({ etag: '"1"', status: 304 });

  await stack.pay(inv.id, '0.01');
  await expectState(page, 'MEM_POOL_FOUND');
  await stack.mine(3);
  await expectState(page, 'COMPLETED');
  expect(sseAttempts).toBeGreaterThan(0);
  expect(polls.some((p) => p.status === 200)).toBe(true);

  // A minute of the page's time, every timer due in it fired at once: a poll still scheduled would be made (fetch is called synchronously in it).
  const [after, madeBefore] = [polls.length, await pollsMade()];
  await page.clock.runFor(60_000);
  expect(await pollsMade()).toBe(madeBefore);
  expect(polls.length).toBe(after);
});

test('/pay/:id without JavaScript shows amount, address and QR, and refreshes itself', async ({ browser, stack }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  const inv = await stack.createInvoice({ amount: '0.0123' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expect(page.locator('.pf-field', { hasText: 'Amount' }).locator('code')).toHaveText('0.0123 ETH');
  await expect(page.locator('.pf-field', { hasText: 'Address' }).locator('code')).toHaveText(inv.invoiceAddress);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe((await stack.view(inv.id)).paymentUri);
  await expect(page.getByRole('button', { name: /Copy/ })).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/no-javascript-360.png', fullPage: true });

  await stack.pay(inv.id, '0.0123');
  // The page reloads itself every 10 s while the invoice can change (a meta refresh: no page clock to run ahead); 30 s bounds one reload.
  await expect(checkout(page)).toHaveAttribute('data-state', 'MEM_POOL_FOUND', { timeout: 30_000 });
  await context.close();
});

test('keyboard: every control is reachable with visible focus, and copy confirms', async ({ page, context, stack }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.payframeUrl });
  await page.clock.install();
  const inv = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT');
  await expect(page.getByRole('button', { name: 'Copy address' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Copy amount' })).toBeFocused();
  await page.keyboard.press('Tab');
  const copyAddress = page.locator('.pf-field', { hasText: 'Address' }).getByRole('button');
  await expect(copyAddress).toBeFocused();
  expect(await copyAddress.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await holdClock(page);
  await page.keyboard.press('Enter');
  await expect(copyAddress).toHaveText('Copied address');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(inv.invoiceAddress);
  // The confirmation stays 2 s of the page's time.
  await page.clock.runFor(2_000);
  await expect(copyAddress).toHaveText('Copy address');
});

test('copy works inside the embedded checkout (the iframe has clipboard-write)', async ({ page, context, stack }) => {
  // Clipboard permission in an iframe is the top-level origin's; granting lists every permission (the rest are denied).
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.shopUrl });
  await page.clock.install();
  await page.goto(`${stack.shopUrl}/checkout?product=travel-mug`);
  const frame = page.frameLocator('[data-payframe-invoice] iframe');
  const copyAmount = frame.locator('.pf-field', { hasText: 'Amount' }).getByRole('button');
  await expect(copyAmount).toBeVisible();
  await holdClock(page);
  await copyAmount.click();
  await expect(copyAmount).toHaveText('Copied amount');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('0.004');
});

test('layout: nothing overflows at 320 px, and dark mode follows the buyer or the theme option', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ currency: 'USDT', amount: '1234567.123456' });
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expect(checkout(page)).toContainText('1,234,567.123456 USDT');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

  await page.emulateMedia({ colorScheme: 'dark' });
  const background = () => checkout(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await background()).toBe('rgb(24, 26, 31)');
  await shoot(page, 'pending-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(255, 255, 255)');
  await page.goto(`${stack.payframeUrl}/embed/${inv.id}?theme=dark`);
  expect(await background()).toBe('rgb(24, 26, 31)');
});
