/**
 * The payment widget in Chromium, at 360 and 1280 px: the demo shop sells in
 * US dollars through the widget (loader, data-payframe-widget), the buyer
 * picks USDT on Polygon and pays it to COMPLETED with the shop's sandbox
 * buttons, goes back to the widget's hosted link and pays with ETH as well;
 * the widget lists both invoices. And the picker without JavaScript.
 */
import { join } from 'node:path';
import { checkout, expect, expectState, SCREENSHOT_DIR, test } from './fixtures';

for (const width of [360, 1280]) {
  test(`at ${width} px: pick USDT on Polygon in the demo, pay it, go back, pay with ETH; the widget lists both`, async ({ page, stack }) => {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await page.goto(`${stack.shopUrl}/widget?product=espresso-beans`);
    const frame = page.frameLocator('[data-payframe-widget] iframe');
    const usdt = frame.getByRole('radio', { name: /USDT on Polygon/ });
    await expect(usdt).toBeVisible();
    await expect(frame.locator('label', { has: usdt })).toContainText('24.5 USDT');
    await expect(frame.locator('label', { hasText: 'ETH on Ethereum' })).toContainText('0.00816667 ETH');
    await expect(checkout(frame)).toContainText('$24.50');
    await expect(frame.getByRole('timer')).toHaveText(/^1[45]:\d\d$/);
    // docs/screenshots/widget-picker-*.png are copies of these.
    await page.screenshot({ path: join(SCREENSHOT_DIR, `widget-picker-${width}.png`), fullPage: true, animations: 'disabled' });

    await usdt.check();
    await frame.getByRole('button', { name: 'Proceed to payment' }).click();
    await expectState(frame, 'PENDING_PAYMENT', 'pay');
    await expect(checkout(frame)).toContainText('24.5 USDT');
    await expect(checkout(frame)).toContainText('$24.50 at 1 USD/USDT');
    await expect(frame.getByRole('link', { name: 'Choose another coin' })).toBeVisible();
    // The shop's panel learns the invoice from the checkout's "ready" message, sent once it is live.
    await expect(page.locator('[data-invoice-id]')).toHaveText(/^inv_/);
    // The checkout above resizes as it goes live, moving the panel: a click by coordinates could land beside the button.
    const sandbox = async (name: string, logged: RegExp, count = 1) => {
      await page.getByRole('button', { name }).dispatchEvent('click');
      await expect(page.locator('[data-log] li').filter({ hasText: logged })).toHaveCount(count);
    };
    await sandbox('Pay in full', /^sandbox pay-full: tx /);
    await expectState(frame, 'MEM_POOL_FOUND');
    for (let i = 1; i <= 3; i++) await sandbox('Mine a block', /^sandbox mine: block \d+$/, i);
    await expectState(frame, 'COMPLETED');

    const orderId = /Order <b>(BT-\w+)<\/b>/.exec(await page.content())![1]!;
    const widget = await stack.api.api.findWidget({ idempotencyKey: orderId });
    expect(widget.widgetState).toBe('COMPLETED');

    // The shop fulfils the order from the invoice's webhooks (its externalId is the order), as for any invoice.
    await page.goto(`${stack.shopUrl}/thanks?order=${orderId}`);
    await expect(page.locator('[data-order-paid]')).toHaveAttribute('data-order-completed', 'true', { timeout: 30_000 });
    await expect(page.locator('[data-order-state]')).toHaveAttribute('data-order-state', 'COMPLETED');

    // Back to the widget by its hosted link: paid, and still open to another coin.
    await page.goto(widget.paymentUrl);
    await expect(page.getByRole('status').filter({ hasText: 'This order is paid' })).toBeVisible();
    await page.getByRole('radio', { name: /ETH on Ethereum/ }).check();
    await page.getByRole('button', { name: 'Proceed to payment' }).click();
    await expectState(page, 'PENDING_PAYMENT', 'pay');
    const ethInvoice = new URL(page.url()).pathname.split('/').pop()!;
    await stack.pay(ethInvoice, (await stack.view(ethInvoice)).amountDue);
    await stack.mine(3);
    await expectState(page, 'COMPLETED');

    const after = await stack.api.api.findWidget({ idempotencyKey: orderId });
    expect(after.invoices.map((i) => i.cryptoCurrency)).toEqual(['USDT_MATIC', 'ETH']);
    expect(after.invoices[1]!.invoiceId).toBe(ethInvoice);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the hosted picker is a form: a coin leads to its pay page, and "Choose another coin" back', async ({ page, stack }) => {
    const widget = await stack.api.createWidget({
      cryptoCurrencies: ['USDT_MATIC', 'ETH'],
      fiatAmount: '12.00',
      fiatCurrency: 'USD',
      description: 'Travel mug',
      idempotencyKey: `e2e-nojs-${process.pid}-${Date.now()}`,
    });
    await page.goto(widget.paymentUrl);
    await expect(page.getByRole('timer')).toHaveText('15:00');
    await page.getByRole('radio', { name: /ETH on Ethereum/ }).check();
    await page.getByRole('button', { name: 'Proceed to payment' }).click();
    await expect(page).toHaveURL(/\/pay\/inv_[\w-]+\?widget=wid_/);
    await expect(checkout(page)).toContainText('0.004 ETH');
    await expect(checkout(page)).toContainText('$12.00 at 3,000 USD/ETH');
    await page.getByRole('link', { name: 'Choose another coin' }).click();
    await page.getByRole('radio', { name: /USDT on Polygon/ }).check();
    await page.getByRole('button', { name: 'Proceed to payment' }).click();
    await expect(checkout(page)).toContainText('12 USDT');
    const found = await stack.api.api.findWidget({ idempotencyKey: widget.idempotencyKey });
    expect(found.invoices.map((i) => i.cryptoCurrency)).toEqual(['ETH', 'USDT_MATIC']);
  });
});

test('modal: Payframe.open({ widget }) shows the picker, then the chosen coin’s checkout, which names its invoice to the shop', async ({ page, stack }) => {
  await page.goto(stack.shopUrl);
  await page.locator('[data-widget-button="travel-mug"]').click();
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  await expect(dialog).toBeVisible();
  const frame = dialog.frameLocator('iframe');
  await expect(frame.getByRole('radio', { name: /ETH on Ethereum 0\.004 ETH/ })).toBeVisible();
  await frame.getByRole('radio', { name: /ETH on Ethereum/ }).check();
  await frame.getByRole('button', { name: 'Proceed to payment' }).click();
  await expectState(frame, 'PENDING_PAYMENT', 'pay');
  // onReady gave the shop the invoice the buyer created; its sandbox panel now pays that one.
  await expect(page.locator('[data-invoice-id]')).toHaveText(/^inv_/);
  const invoiceId = (await page.locator('[data-invoice-id]').textContent())!;
  expect((await stack.view(invoiceId)).amount).toBe('0.004');
  await page.getByRole('button', { name: 'Pay in full' }).dispatchEvent('click');
  await expectState(frame, 'MEM_POOL_FOUND');
  await expect(page.locator('[data-log]')).toContainText('onStatus MEM_POOL_FOUND');
});
