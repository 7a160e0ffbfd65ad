/**
 * The modal by keyboard alone, in Chromium: a buyer opens it, copies the
 * amount and the address, closes it with Escape, and focus is back on the
 * button that opened it.
 */
import { expect, expectState, test } from './fixtures';

test('modal by keyboard alone: open, copy the amount and the address, close with Escape, focus back on the opener', async ({ page, stack, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.payframeUrl });
  const inv = await stack.createInvoice();
  await page.goto(`${stack.shopUrl}/checkout?product=pour-over-kit`);
  await page.evaluate((id) => {
    const opener = document.createElement('button');
    opener.textContent = 'Open the payment';
    document.body.append(opener);
    opener.onclick = () => window.Payframe.open(id);
  }, inv.id);
  const opener = page.getByRole('button', { name: 'Open the payment' });
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Payment' });
  const frame = dialog.frameLocator('iframe');
  await expectState(frame, 'PENDING_PAYMENT', 'pay');
  // Focus is in the dialog, and the first Tab reaches the Close button inside the checkout's card.
  await expect(dialog).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(frame.getByRole('button', { name: 'Close' })).toBeFocused();

  // Into the checkout: its wallet link, then the two copy buttons, each confirming what it copied.
  const copyAmount = frame.getByRole('button', { name: 'Copy amount' });
  const copyAddress = frame.getByRole('button', { name: 'Copy address' });
  for (let i = 0; i < 10 && !(await copyAmount.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(copyAmount).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(frame.getByRole('button', { name: 'Copied amount' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(copyAddress).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(frame.getByRole('button', { name: 'Copied address' })).toBeVisible();

  // Escape inside the checkout closes the modal (pressed as in integrations.spec.ts: keyup after the iframe is gone).
  await page.keyboard.down('Escape');
  await expect(dialog).toHaveCount(0);
  await page.keyboard.up('Escape');
  await expect(opener).toBeFocused();
});
