/**
 * Every screen of the checkout on the hosted page, driven through the
 * sandbox: the QR read back from pixels, the underpay top-up, the cases the
 * merchant must review, expiry and a late payment after it. Screenshots of each at 360 and 1280 px.
 */
import { OTHER_WALLET } from '../demo/shop';
import { checkout, decodeQr, expect, expectState, shoot, test } from './fixtures';

/** The seconds a countdown text such as "23:59:58" or "0:07" stands for. */
const seconds = (text: string) => text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

test('pending: the QR in the page is the invoice payment URI, and every state has its screen', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  const view = await stack.view(inv.id);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe(view.paymentUri!);
  expect(view.paymentUri).toBe(`ethereum:${inv.invoiceAddress}@1337?value=10000000000000000`);
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveAttribute('href', view.paymentUri!);
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveAttribute('target', '_top');
  await expect(checkout(page)).toContainText(inv.invoiceAddress);
  await expect(page.locator('.pf-chip')).toHaveText('ETH on Ethereum');
  await expect(page.locator('.pf-net')).toContainText('Send only ETH on Ethereum. Other networks lose the funds.');
  // The merchant's logo, loaded (the page's CSP allows its origin), and the order's description.
  const logo = page.locator('.pf-logo');
  await expect(logo).toHaveAttribute('src', `${stack.shopUrl}/static/logo.svg`);
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.locator('.pf-desc')).toHaveText('Order E2E: Pour-over kit');
  await shoot(page, 'pending');

  await stack.pay(inv.id, '0.01');
  await expectState(page, 'MEM_POOL_FOUND', 'seen');
  await expect(checkout(page)).toContainText('Payment seen');
  // The transaction, short in the text, whole in the title (and the copy button).
  const hash = (await stack.view(inv.id)).lastDepositHash!;
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  const tx = page.locator('.pf-field', { hasText: 'Transaction' }).locator('code');
  await expect(tx).toHaveText(`${hash.slice(0, 8)}…${hash.slice(-6)}`);
  await expect(tx).toHaveAttribute('title', hash);
  await shoot(page, 'mempool');
  await stack.mine(1);
  await expectState(page, 'PAID', 'paid');
  await expect(checkout(page)).toContainText('Nearly final: 2 more checks by the network');
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
  await expect(checkout(page)).toContainText('You paid 0.004 ETH of 0.01 ETH. Send the remaining 0.006 ETH');
  await expect(page.locator('.pf-field').filter({ hasText: 'Amount' }).locator('code')).toHaveText('0.006 ETH');
  const view = await stack.view(inv.id);
  expect(view.paymentUri).toBe(`ethereum:${inv.invoiceAddress}@1337?value=6000000000000000`);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe(view.paymentUri!);
  await expect(page.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', `${stack.shopUrl}/support`);
  await shoot(page, 'underpaid');

  await stack.pay(inv.id, '0.006');
  await expectState(page, 'MEM_POOL_FOUND');
  await stack.mine(3);
  await expectState(page, 'COMPLETED');
  await expect(checkout(page)).toContainText('0.01 ETH received and final');
});

test('underpaid, then the time runs out: the checkout stops asking for the rest and says the merchant decides', async ({ page, stack }) => {
  // Ten minutes, run ahead on the page's clock below: however slow the machine, the top-up shows before the time is up.
  await page.clock.install();
  const inv = await stack.createInvoice({ amount: '0.01', expiration: new Date(Date.now() + 600_000).toISOString() });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await stack.pay(inv.id, '0.004');
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'topup');
  // The countdown reaching zero closes the top-up; the invoice stays PENDING_INTERVENTION (UNDERPAY) for the merchant.
  await page.clock.fastForward('10:00');
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  await expect(checkout(page)).toContainText('Paid less than the amount');
  await expect(checkout(page)).toContainText('We received 0.004 ETH of 0.01 ETH, and the invoice is no longer open for the rest');
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', `${stack.shopUrl}/support`);
  await shoot(page, 'underpaid-closed');
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
  // Payframe expires the invoice on its own (real) clock. The page's clock is held from before the page loads and run on
  // to the countdown's last seconds, so the page shows them whatever its load took (within the 10 s; a 4 s expiry raced it).
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 1_000);
  const inv = await stack.createInvoice({ expiration: new Date(Date.now() + 10_000).toISOString() });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  const left = seconds((await page.getByRole('timer').textContent())!);
  if (left > 3) await page.clock.runFor((left - 3) * 1_000);
  await expect(page.getByRole('timer')).toHaveText(/^0:0[1-4]$/);
  await page.clock.resume();
  await expectState(page, 'ARCHIVED', 'expired');
  await expect(checkout(page)).toContainText('This invoice expired before a payment arrived');
  await expect(page.getByRole('link', { name: 'Contact support' })).toBeVisible();
  await shoot(page, 'expired');

  // An expired invoice still takes a late payment for a day, so the open page keeps following it and shows it live.
  await stack.pay(inv.id, '0.01');
  await stack.mine(1);
  await expectState(page, 'PENDING_INTERVENTION', 'review');
  await expect(checkout(page)).toContainText('Paid after the invoice expired');
  await shoot(page, 'late-payment');
});

test('the countdown steps one second at a time', async ({ page, stack }) => {
  // On the page's clock, held from before the page loads and stepped a second at a time: a renderer starved of CPU
  // would rightly skip a second.
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 1_000);
  const inv = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT');
  await page.evaluate(() => {
    const timer = document.querySelector('[role=timer]')!;
    const w = window as unknown as { shown: string[] };
    w.shown = [timer.textContent!];
    new MutationObserver(() => w.shown.push(timer.textContent!)).observe(timer, { characterData: true, subtree: true, childList: true });
  });
  const shown = () => page.evaluate(() => (window as unknown as { shown: string[] }).shown);
  // A second at a time until four ticks (the first lands up to 25 ms after a second's boundary, so maybe one run later).
  for (let runs = 0; runs < 10 && (await shown()).length < 5; runs++) await page.clock.runFor(1_000);
  const seen = (await shown()).slice(0, 5);
  expect(seen).toHaveLength(5);
  const left = seen.map(seconds);
  for (let i = 1; i < left.length; i++) expect(left[i - 1]! - left[i]!).toBe(1);
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
