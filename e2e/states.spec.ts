/**
 * Every screen of the checkout on the hosted page, driven through the
 * sandbox: the QR read back from pixels, the underpay top-up, the cases the
 * merchant must review, expiry. Screenshots of each at 360 and 1280 px.
 */
import { OTHER_WALLET } from '../demo/shop';
import { checkout, decodeQr, expect, expectState, shoot, test } from './fixtures';

test('pending: the QR in the page is the invoice payment URI, and every state has its screen', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  const view = await stack.view(inv.id);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe(view.paymentUri);
  expect(view.paymentUri).toBe(`ethereum:${inv.invoiceAddress}@1337?value=10000000000000000`);
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveAttribute('href', view.paymentUri);
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveAttribute('target', '_top');
  await expect(checkout(page)).toContainText(inv.invoiceAddress);
  await shoot(page, 'pending');

  await stack.pay(inv.id, '0.01');
  await expectState(page, 'MEM_POOL_FOUND', 'seen');
  await expect(checkout(page)).toContainText('Payment seen');
  await shoot(page, 'mempool');
  await stack.mine(1);
  await expectState(page, 'PAID', 'paid');
  await expect(checkout(page)).toContainText('Confirmations: 1 of 3 until final');
  await shoot(page, 'paid');
  await stack.mine(2);
  await expectState(page, 'COMPLETED', 'completed');
  await shoot(page, 'completed');
});

test('underpay: the checkout asks for the remainder with its own QR, and a top-up completes it', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT');
  await stack.pay(inv.id, '0.004');
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'topup');
  await expect(checkout(page)).toContainText('You paid 0.004 of 0.01 ETH. Send the remaining 0.006 ETH');
  await expect(page.locator('.pf-field').filter({ hasText: 'Amount' }).locator('code')).toHaveText('0.006 ETH');
  const view = await stack.view(inv.id);
  expect(view.paymentUri).toBe(`ethereum:${inv.invoiceAddress}@1337?value=6000000000000000`);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe(view.paymentUri);
  await shoot(page, 'underpaid');

  await stack.pay(inv.id, '0.006');
  await expectState(page, 'MEM_POOL_FOUND');
  await stack.mine(3);
  await expectState(page, 'COMPLETED');
  await expect(checkout(page)).toContainText('0.01 ETH received and final');
});

test('overpay: the checkout says the merchant will refund the difference', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await stack.pay(inv.id, '0.015');
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  await expect(checkout(page)).toContainText('Paid more than the amount');
  await expect(checkout(page)).toContainText('We received 0.015 ETH, more than the 0.01 ETH asked');
  await expect(page.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', `${stack.shopUrl}/support`);
  await shoot(page, 'overpaid');
});

test('two senders: the checkout says the merchant will review the payments', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await stack.pay(inv.id, '0.005');
  await expectState(page, 'MEM_POOL_FOUND');
  await stack.pay(inv.id, '0.005', OTHER_WALLET);
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  await expect(checkout(page)).toContainText('Payments from more than one wallet');
  await expect(page.getByRole('link', { name: 'Contact support' })).toBeVisible();
  await shoot(page, 'two-senders');
});

test('expiry: the countdown runs out, the invoice closes, and a late payment is explained', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ expiration: new Date(Date.now() + 4_000).toISOString() });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expect(page.getByRole('timer')).toHaveText(/^0:0[1-4]$/);
  await expectState(page, 'ARCHIVED', 'expired');
  await expect(checkout(page)).toContainText('This invoice expired before a payment arrived');
  await expect(page.getByRole('link', { name: 'Contact support' })).toBeVisible();
  await shoot(page, 'expired');

  await stack.pay(inv.id, '0.01');
  await stack.mine(1);
  // The stream ends with ARCHIVED; a buyer who comes back sees what happened since.
  await page.reload();
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  await expect(checkout(page)).toContainText('Paid after the invoice expired');
  await shoot(page, 'late-payment');
});

test('the countdown steps one second at a time', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT');
  const seen = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const timer = document.querySelector('[role=timer]')!;
        const values: string[] = [timer.textContent!];
        new MutationObserver(() => {
          values.push(timer.textContent!);
          if (values.length === 5) resolve(values);
        }).observe(timer, { characterData: true, subtree: true, childList: true });
      }),
  );
  const seconds = seen.map((t) => t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0));
  for (let i = 1; i < seconds.length; i++) expect(seconds[i - 1]! - seconds[i]!).toBe(1);
});

test('merchant decisions: a cancelled invoice and a rejected payment each say so', async ({ page, stack }) => {
  const cancelled = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${cancelled.id}`);
  expect((await stack.signed('/invoice/archive', { id: cancelled.id })).status).toBe(200);
  await expectState(page, 'ARCHIVED', 'cancelled');
  await expect(checkout(page)).toContainText('The merchant cancelled this invoice');
  await shoot(page, 'cancelled');

  const rejected = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${rejected.id}`);
  await stack.pay(rejected.id, '0.02');
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  expect((await stack.signed('/invoice/intervention/resolve', { id: rejected.id, action: 'REJECT' })).status).toBe(200);
  await expectState(page, 'ARCHIVED', 'closed');
  await expect(checkout(page)).toContainText('The merchant declined the 0.02 ETH received');
  await shoot(page, 'rejected');
});
