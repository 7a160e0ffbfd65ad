/**
 * The demo shop on the narrowest phone (320 CSS px): no page scrolls
 * sideways. Long unbroken words — order ids, webhook event codes, URLs in
 * <code> — wrap, and the embedded checkout stays inside its own box.
 */
import type { Frame, Locator, Page } from '@playwright/test';
import { expect, expectState, test } from './fixtures';

test.use({ viewport: { width: 320, height: 640 } });

/** Fails with the elements that stick out past the right edge, so the fix can start from them. */
async function expectNoSidewaysScroll(page: Page | Frame) {
  const { scrollWidth, innerWidth, offenders } = await page.evaluate(() => {
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> ${Math.round(el.getBoundingClientRect().right)} px`;
    const sticking = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > window.innerWidth);
    // The innermost ones are the cause; their ancestors only grow around them.
    const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, offenders: innermost.slice(0, 5).map(describe) };
  });
  expect(scrollWidth, `${page.url()} is ${scrollWidth} px wide in a ${innerWidth} px window; sticking out: ${offenders.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}

/** The checkout's own document inside its iframe, which must fit the iframe's width just as the page fits the window. */
async function checkoutDocument(iframe: Locator): Promise<Frame> {
  const frame = await (await iframe.elementHandle())!.contentFrame();
  if (!frame) throw new Error('the checkout iframe has no document');
  return frame;
}

/** Places an order through the shop's checkout page; the page shows the order id, and its sandbox panel the invoice. */
async function placeOrder(page: Page, shopUrl: string, product: string) {
  await page.goto(`${shopUrl}/checkout?product=${product}`);
  const orderId = (await page.locator('.summary b').first().textContent())!;
  const invoiceId = (await page.locator('[data-sandbox]').getAttribute('data-invoice'))!;
  return { orderId, invoiceId };
}

test('home, with and without the payment modal', async ({ page, stack }) => {
  await page.goto(stack.shopUrl);
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'Pay now' }).first().click();
  await expectState(page.frameLocator('[role=dialog] iframe'), 'PENDING_PAYMENT');
  await expectNoSidewaysScroll(page);
  await expectNoSidewaysScroll(await checkoutDocument(page.locator('[role=dialog] iframe')));
});

test('checkout: the inline checkout from the script tag', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/checkout?product=espresso-beans`);
  await expectState(page.frameLocator('[data-payframe-invoice] iframe'), 'PENDING_PAYMENT');
  await expectNoSidewaysScroll(page);
  await expectNoSidewaysScroll(await checkoutDocument(page.locator('[data-payframe-invoice] iframe')));
});

test('product: the plain iframe', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/product/pour-over-kit`);
  await expectState(page.frameLocator('iframe[data-payframe-frame]'), 'PENDING_PAYMENT');
  // Sized by the checkout's resize message, which the narrow width makes taller.
  await expect.poll(() => page.locator('iframe[data-payframe-frame]').evaluate((f: HTMLIFrameElement) => f.style.height)).toMatch(/^\d+px$/);
  await expectNoSidewaysScroll(page);
  await expectNoSidewaysScroll(await checkoutDocument(page.locator('iframe[data-payframe-frame]')));
});

test('pay-link', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/pay-link?product=pour-over-kit`);
  await expect(page.getByRole('link', { name: /on Payframe/ })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('thanks, with every webhook of a completed order listed', async ({ page, stack }) => {
  const { orderId, invoiceId } = await placeOrder(page, stack.shopUrl, 'pour-over-kit');
  await stack.pay(invoiceId, '0.0125');
  await stack.mine(3);
  await page.goto(`${stack.shopUrl}/thanks?order=${orderId}`);
  // The page reloads itself until the webhooks have arrived.
  await expect(page.locator('[data-order-events]')).toContainText('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED', { timeout: 15_000 });
  await expectNoSidewaysScroll(page);
});

test('thanks for an order the shop does not know, with a long id', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/thanks?order=BT-${'7F'.repeat(40)}`);
  await expect(page.getByRole('heading', { name: 'Order not found' })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('support, and an error page', async ({ page, stack }) => {
  await page.goto(`${stack.shopUrl}/support`);
  await expectNoSidewaysScroll(page);
  await page.goto(`${stack.shopUrl}/product/no-such-thing`);
  await expect(page.getByRole('heading', { name: /Something went wrong/ })).toBeVisible();
  await expectNoSidewaysScroll(page);
});
