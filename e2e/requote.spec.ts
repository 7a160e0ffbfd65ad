/**
 * A re-quote in Chromium: an open pay page of a SINGLE_FIAT invoice shows the
 * new amount and QR code when its quote expires and the rate has moved. Its
 * own Payframe, with a quote lock of two seconds (the default is 15 minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPayframeClient } from '../demo/payframe-client';
import { createMerchant, startPayframe } from '../scripts/lib/stack';
import { checkout, decodeQr, expect, test } from './fixtures';

test('an open pay page follows a re-quote: new amount, new QR code, the fiat price unchanged', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-requote-'));
  const payframe = await startPayframe({ dataDir: dir, env: { NODE_ENV: 'test', SANDBOX: '1', SANDBOX_AUTOMINE_MS: '0', QUOTE_LOCK_MS: '2000' }, log: join(dir, 'server.log') });
  try {
    const merchant = await createMerchant({ dataDir: dir, origins: [] });
    const api = createPayframeClient({ apiUrl: payframe.url, credentials: merchant });
    const invoice = await api.api.createFiatInvoice({ currency: 'ETH', fiatAmount: '12', fiatCurrency: 'USD', description: 'Travel mug', idempotencyKey: `requote-${Date.now()}` });
    expect(invoice).toMatchObject({ amount: '0.004', rate: '3000' });

    await page.goto(invoice.paymentUrl);
    const amount = page.locator('.pf-field', { hasText: 'Amount' }).locator('code');
    await expect(amount).toHaveText('0.004 ETH');
    expect(await decodeQr(page.getByRole('img', { name: /^QR code/ }))).toMatch(/\?value=4000000000000000$/);

    await api.sandboxRates({ ETH_USD: '2400' });
    // The quote runs out within two seconds; the expiry sweep quotes again and the page hears it by SSE, without a reload.
    await expect(amount).toHaveText('0.005 ETH', { timeout: 30_000 });
    await expect(checkout(page)).toContainText('$12.00 at 2,400 USD/ETH');
    await expect.poll(() => decodeQr(page.getByRole('img', { name: /^QR code/ }))).toMatch(/\?value=5000000000000000$/);
    const after = await api.getInvoice(invoice.id);
    expect(after).toMatchObject({ amount: '0.005', rate: '2400' });
    expect(Date.parse(after.lastFiatUpdated!)).toBeGreaterThan(Date.parse(invoice.lastFiatUpdated!));
  } finally {
    await payframe.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
