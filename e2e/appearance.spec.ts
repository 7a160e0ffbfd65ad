/**
 * A merchant's appearance in Chromium: the colour the merchant chose is the
 * colour the buyer's browser paints, from the merchant's default (merchant
 * API) and from the loader's options over it, under the pages' strict CSP
 * (the fixture fails a test on any CSP refusal).
 */
import { expect, test } from './fixtures';

test("the merchant's primary colour paints the checkout's button and its display name heads it; the loader's variables override the default", async ({ page, stack }) => {
  await stack.api.api.updateProfile({ displayName: 'Pour-over & Co', appearance: { theme: 'light', variables: { colorPrimary: '#0a58ca', borderRadius: '2px' } } });
  try {
    const inv = await stack.createInvoice();
    await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
    const wallet = page.getByRole('link', { name: 'Open in wallet' });
    await expect(wallet).toHaveCSS('background-color', 'rgb(10, 88, 202)');
    await expect(wallet).toHaveCSS('border-radius', '2px');
    await expect(page.locator('.pf-head')).toContainText('Pour-over & Co');

    await page.goto(stack.shopUrl);
    await page.evaluate((id) => window.Payframe.open(id, { theme: 'dark', variables: { colorPrimary: '#ffd166' } }), inv.id);
    const frame = page.getByRole('dialog', { name: 'Payment' }).frameLocator('iframe');
    const framed = frame.getByRole('link', { name: 'Open in wallet' });
    await expect(framed).toHaveCSS('background-color', 'rgb(255, 209, 102)');
    // The text on it is whichever of black and white reads on the merchant's colour.
    await expect(framed).toHaveCSS('color', 'rgb(0, 0, 0)');
    await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');
    // What the loader did not name still comes from the merchant's default.
    await expect(framed).toHaveCSS('border-radius', '2px');
  } finally {
    await stack.api.api.updateProfile({ displayName: null, appearance: null });
  }
});
