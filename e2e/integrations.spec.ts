/**
 * The four integrations on the demo shop (its own origin), each driven from
 * PENDING_PAYMENT to COMPLETED with the shop's sandbox buttons, and the shop's
 * page hearing status / paid / completed from the checkout.
 */
import type { Page } from '@playwright/test';
import { frameMessageSchema, type FrameMessage } from '../contract/frame';
import { MESSAGES_OF_A_PAYMENT } from '../widget/checkout/test-views';
import { checkout, expect, expectState, shoot, test } from './fixtures';

/** Records every Payframe message the top page receives, with its origin. */
async function recordMessages(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { payframeMessages: { origin: string; data: unknown }[] };
    w.payframeMessages = [];
    addEventListener('message', (e) => {
      // Messages the test forges from the page itself are not the checkout's.
      if (e.source !== window && (e.data as { source?: string } | null)?.source === 'payframe') w.payframeMessages.push({ origin: e.origin, data: e.data });
    });
  });
  return async () => page.evaluate(() => (window as unknown as { payframeMessages: { origin: string; data: unknown }[] }).payframeMessages);
}

/** Drives the invoice with the demo page's sandbox buttons and checks each state in the checkout. */
async function payThroughSandbox(page: Page, scope: Parameters<typeof checkout>[0]) {
  await expectState(scope, 'PENDING_PAYMENT', 'pay');
  await page.getByRole('button', { name: 'Pay in full' }).click();
  await expectState(scope, 'MEM_POOL_FOUND');
  await page.getByRole('button', { name: 'Mine a block' }).click();
  await expectState(scope, 'PAID');
  await expect(checkout(scope)).toContainText('2 more checks by the network');
  await page.getByRole('button', { name: 'Mine a block' }).click();
  await expect(checkout(scope)).toContainText('1 more check by the network');
  await page.getByRole('button', { name: 'Mine a block' }).click();
  await expectState(scope, 'COMPLETED');
}

/** The shop's thanks page: paid and final by webhook (the page reloads itself until then), and Payframe's API agrees. */
async function expectOrderFulfilled(page: Page) {
  // Reloading every 3 s until the webhooks are in: a bound for a few reloads, longer than the expect default.
  await expect(page.locator('[data-order-paid]')).toHaveAttribute('data-order-completed', 'true', { timeout: 30_000 });
  await expect(page.locator('[data-order-paid]')).toHaveAttribute('data-order-paid', 'true');
  await expect(page.locator('[data-order-events]')).toContainText('INVOICE_PAID');
  await expect(page.locator('[data-order-events]')).toContainText('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED');
  await expect(page.locator('[data-order-state]')).toHaveAttribute('data-order-state', 'COMPLETED');
}

function expectProtocol(messages: { origin: string; data: unknown }[], payframeUrl: string, invoiceId: string) {
  for (const m of messages) {
    expect(m.origin).toBe(payframeUrl);
    expect(frameMessageSchema.parse(m.data).invoiceId).toBe(invoiceId);
  }
  const states = messages.map((m) => m.data as FrameMessage).filter((m) => m.type !== 'resize');
  expect(states.map((m) => `${m.type}${'state' in m ? ` ${m.state}` : ''}`)).toEqual(MESSAGES_OF_A_PAYMENT);
  expect(messages.some((m) => (m.data as FrameMessage).type === 'resize')).toBe(true);
}

test('script tag: the inline checkout goes to COMPLETED and the shop page hears each step', async ({ page, stack }) => {
  const messages = await recordMessages(page);
  await page.goto(`${stack.shopUrl}/checkout?product=pour-over-kit`);
  const invoiceId = (await page.locator('[data-payframe-invoice]').getAttribute('data-payframe-invoice'))!;
  const frame = page.frameLocator('[data-payframe-invoice] iframe');
  await expect(page.locator('[data-payframe-invoice] iframe')).toHaveAttribute('allow', 'clipboard-write');
  await expectState(frame, 'PENDING_PAYMENT');
  // A message that only looks like Payframe's — from the wrong origin and window — is ignored by the loader.
  await page.evaluate(async (id) => {
    window.postMessage({ source: 'payframe', v: 1, type: 'completed', invoiceId: id, state: 'COMPLETED' }, '*');
    // A window gets its messages in the order they were posted: once this marker arrives, the loader has handled the forgery.
    await new Promise<void>((resolve) => {
      const marker = `flush ${Math.random()}`;
      addEventListener('message', function seen(e) {
        if (e.data !== marker) return;
        removeEventListener('message', seen);
        resolve();
      });
      window.postMessage(marker, '*');
    });
  }, invoiceId);
  await expect(page.locator('[data-log]')).not.toContainText('completed');
  await payThroughSandbox(page, frame);

  const log = page.locator('[data-log]');
  for (const line of ['payframe:ready PENDING_PAYMENT', 'payframe:status MEM_POOL_FOUND', 'payframe:status PAID', 'payframe:paid PAID', 'payframe:completed COMPLETED']) {
    await expect(log).toContainText(line);
  }
  expectProtocol(await messages(), stack.payframeUrl, invoiceId);
  await shoot(page, 'demo-checkout-completed');

  // "Return to store" navigates the top window. The shop's order is paid by Payframe's signed webhooks to its server (the page refreshes until they came).
  await frame.getByRole('link', { name: 'Return to store' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.shopUrl}/thanks\\?order=`));
  await expectOrderFulfilled(page);
});

test('modal: Payframe.open shows the checkout, reports by callbacks, and closes', async ({ page, stack }) => {
  const messages = await recordMessages(page);
  await page.goto(stack.shopUrl);
  await shoot(page, 'demo-shop');
  const payButton = page.locator('[data-pay-button="pour-over-kit"]');
  await payButton.click();
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  await expect(dialog).toBeVisible();
  // Focus went into the dialog; its first stop is the Close button in the checkout's card.
  await expect(dialog).toBeFocused();
  const invoiceId = (await page.locator('[data-sandbox]').getAttribute('data-invoice'))!;
  const frame = dialog.frameLocator('iframe');
  await expectState(frame, 'PENDING_PAYMENT');
  await shoot(page, 'demo-modal');
  // The page behind the dialog is inert, except the sandbox panel the shop asked the modal to keep usable (keepInteractive).
  expect(await payButton.evaluate((el) => el.closest('[inert]') !== null)).toBe(true);
  await payThroughSandbox(page, frame);

  const log = page.locator('[data-log]');
  for (const line of ['onStatus PENDING_PAYMENT', 'onStatus MEM_POOL_FOUND', 'onStatus PAID', 'onPaid PAID', 'onStatus COMPLETED', 'onCompleted COMPLETED']) {
    await expect(log).toContainText(line);
  }
  expectProtocol(await messages(), stack.payframeUrl, invoiceId);

  // "Return to store" in the modal closes it and tells the shop (onReturn); the shop's page stays where it is.
  const shopUrl = page.url();
  await frame.getByRole('link', { name: 'Return to store' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(log).toContainText(`onReturn ${stack.shopUrl}/thanks?order=`);
  await expect(log).toContainText('onClose');
  expect(page.url()).toBe(shopUrl);
  await expect(payButton).toBeFocused();
});

test('modal: the Close button in its card, Escape inside it and Escape on the page close it', async ({ page, stack }) => {
  await page.goto(stack.shopUrl);
  await page.evaluate(() => {
    const w = window as unknown as { closes: number };
    w.closes = 0;
    document.addEventListener('payframe:close', () => w.closes++);
  });
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  await page.locator('[data-pay-button="travel-mug"]').click();
  await expectState(dialog.frameLocator('iframe'), 'PENDING_PAYMENT');
  await dialog.frameLocator('iframe').getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  // Escape inside the checkout reaches the loader as a "close" message. Its keydown removes the iframe; the key is let go
  // once that is done, as press() would send the keyup to an iframe being removed, which Chromium may never acknowledge
  // (a busy machine hung there for 90 s).
  await page.locator('[data-pay-button="travel-mug"]').click();
  await expectState(dialog.frameLocator('iframe'), 'PENDING_PAYMENT');
  await page.keyboard.down('Escape');
  await expect(dialog).toHaveCount(0);
  await page.keyboard.up('Escape');
  await page.locator('[data-pay-button="travel-mug"]').click();
  await expect(dialog).toBeVisible();
  // Out of the frame, onto the page: the page's own Escape handler.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('[data-log]')).toContainText('onClose');
  expect(await page.evaluate(() => (window as unknown as { closes: number }).closes)).toBe(3);
});

test('Payframe.mount with the dark theme: sized by the checkout, dark, and silent after unmount', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  // A page of the shop's origin (one of the merchant's) that loads widget.js and mounts from code.
  await page.goto(`${stack.shopUrl}/support`);
  await page.evaluate((payframeUrl) => {
    const script = document.createElement('script');
    script.src = `${payframeUrl}/widget.js`;
    document.head.append(script);
  }, stack.payframeUrl);
  await page.waitForFunction(() => 'Payframe' in window);
  await page.evaluate((invoiceId) => {
    const w = window as unknown as { heard: string[]; checkout: { unmount(): void } };
    w.heard = [];
    const el = document.createElement('div');
    el.id = 'mounted';
    el.addEventListener('payframe:status', (e) => w.heard.push(`event ${(e as CustomEvent<{ state: string }>).detail.state}`));
    document.querySelector('main')!.append(el);
    w.checkout = window.Payframe.mount(el, { invoiceId, theme: 'dark', onStatus: (m) => w.heard.push(`onStatus ${m.state}`) });
  }, inv.id);
  const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  const iframe = page.locator('#mounted iframe');
  const frame = page.frameLocator('#mounted iframe');
  await expectState(frame, 'PENDING_PAYMENT');
  await expect.poll(heard).toEqual(['onStatus PENDING_PAYMENT', 'event PENDING_PAYMENT']);

  // Dark although the page (and the buyer's preference) is light.
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await checkout(frame).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(24, 26, 31)');
  // The loader set the iframe's height from the checkout's resize message: the height of the checkout's content, not the 560 px it starts with.
  const content = await checkout(frame).evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  await expect.poll(() => iframe.evaluate((f: HTMLIFrameElement) => f.style.height)).toBe(`${content}px`);
  expect(content).not.toBe(560);

  await page.evaluate(() => (window as unknown as { checkout: { unmount(): void } }).checkout.unmount());
  await expect(iframe).toHaveCount(0);
  await stack.pay(inv.id, '0.01');
  await expect.poll(async () => (await stack.view(inv.id)).state).toBe('MEM_POOL_FOUND');
  // A second checkout of the same invoice hears the new state; by then the first would have too, had it not gone silent.
  await page.evaluate((invoiceId) => {
    const w = window as unknown as { later: string[] };
    w.later = [];
    const el = document.createElement('div');
    document.querySelector('main')!.append(el);
    window.Payframe.mount(el, { invoiceId, onStatus: (m) => w.later.push(m.state) });
  }, inv.id);
  await expect.poll(() => page.evaluate(() => (window as unknown as { later: string[] }).later)).toContain('MEM_POOL_FOUND');
  expect(await heard()).toEqual(['onStatus PENDING_PAYMENT', 'event PENDING_PAYMENT']);
});

test('plain iframe: the product page frames the checkout and hears its messages', async ({ page, stack }) => {
  const messages = await recordMessages(page);
  await page.goto(`${stack.shopUrl}/product/pour-over-kit`);
  const invoiceId = (await page.locator('[data-sandbox]').getAttribute('data-invoice'))!;
  const frame = page.frameLocator('iframe[data-payframe-frame]');
  await expectState(frame, 'PENDING_PAYMENT');
  // The shop sized the iframe from the checkout's resize message.
  await expect.poll(() => page.locator('iframe[data-payframe-frame]').evaluate((f: HTMLIFrameElement) => f.style.height)).toMatch(/^\d+px$/);
  await shoot(page, 'demo-iframe');
  await payThroughSandbox(page, frame);
  for (const line of ['message status PAID', 'message paid PAID', 'message completed COMPLETED']) {
    await expect(page.locator('[data-log]')).toContainText(line);
  }
  expectProtocol(await messages(), stack.payframeUrl, invoiceId);
});

test('hosted link: /pay/:id goes to COMPLETED and returns to the store', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/pay-link?product=espresso-beans`);
  const invoiceId = (await page.locator('[data-sandbox]').getAttribute('data-invoice'))!;
  const link = page.locator('[data-pay-link]');
  await expect(link).toHaveAttribute('href', `${stack.payframeUrl}/pay/${invoiceId}`);
  await page.goto((await link.getAttribute('href'))!);
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  await expect(checkout(page)).toContainText('24.5 USDT');
  await stack.pay(invoiceId, '24.5');
  await expectState(page, 'MEM_POOL_FOUND');
  await stack.mine(1);
  await expectState(page, 'PAID');
  await stack.mine(2);
  await expectState(page, 'COMPLETED');
  await page.getByRole('link', { name: 'Return to store' }).click();
  await expectOrderFulfilled(page);
});

test('two checkouts on one page are independent', async ({ page, stack }) => {
  const [a, b] = [await stack.createInvoice(), await stack.createInvoice({ amount: '0.02' })];
  // A page of the shop's own origin (served from loopback, as Chromium's local-network rules want) with two inline checkouts.
  await page.goto(`${stack.shopUrl}/support`);
  await page.evaluate(
    ({ ids, payframeUrl }) => {
      const seen: string[] = ((window as unknown as { seen: string[] }).seen = []);
      for (const [name, id] of Object.entries(ids)) {
        const div = document.createElement('div');
        div.id = name;
        div.dataset.payframeInvoice = id;
        div.addEventListener('payframe:status', (e) => seen.push(`${name} ${(e as CustomEvent<{ state: string }>).detail.state}`));
        document.querySelector('main')!.append(div);
      }
      const script = document.createElement('script');
      script.src = `${payframeUrl}/widget.js`;
      document.head.append(script);
    },
    { ids: { a: a.id, b: b.id }, payframeUrl: stack.payframeUrl },
  );
  const seen = () => page.evaluate(() => [...(window as unknown as { seen: string[] }).seen].sort());
  const [frameA, frameB] = [page.frameLocator('#a iframe'), page.frameLocator('#b iframe')];
  await expectState(frameA, 'PENDING_PAYMENT');
  await expectState(frameB, 'PENDING_PAYMENT');
  await stack.pay(a.id, '0.01');
  await expectState(frameA, 'MEM_POOL_FOUND');
  await expect.poll(seen).toEqual(['a MEM_POOL_FOUND', 'a PENDING_PAYMENT', 'b PENDING_PAYMENT']);
  await expectState(frameB, 'PENDING_PAYMENT');
  await expect(checkout(frameB)).toContainText('0.02 ETH');
});
