/**
 * The checkout in the buyer's language, in Chromium: Accept-Language picks
 * Arabic (right to left, amounts in Latin digits and left to right), ?locale=
 * and the loader's `locale` option pick a language over it, and the buyer
 * switches language on the page. Screenshots in Arabic and Japanese at 360 px
 * (copied to docs/screenshots/).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Messages } from '../widget/checkout/i18n/i18n';
import { checkout, expect, expectState, SCREENSHOT_DIR, test } from './fixtures';

// Read as files: Playwright's loader does not import JSON modules without an import attribute.
const read = (locale: string) => JSON.parse(readFileSync(new URL(`../widget/checkout/i18n/locales/${locale}.json`, import.meta.url), 'utf8')) as Messages;
const CATALOGUE = { ar: read('ar'), de: read('de'), ja: read('ja'), 'pt-BR': read('pt-BR') };

test.describe('a browser set to Arabic (Egypt)', () => {
  // The browser's own locale: Chromium sends it as Accept-Language (and would override a header set by hand).
  test.use({ locale: 'ar-EG' });

  test('Accept-Language: ar gives an Arabic, right-to-left page whose amount and address read left to right', async ({ page, stack }) => {
    const inv = await stack.createInvoice({ amount: '1234.5' });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
    await expectState(page, 'PENDING_PAYMENT', 'pay');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(CATALOGUE.ar['pay.heading'].replace('{coin}', 'ETH'));
    const amount = page.locator('.pf-value code').first();
    await expect(amount).toHaveText('1,234.5 ETH');
    // The value's own direction, whatever the page's: an address or amount never reverses.
    expect(await amount.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    expect(await page.locator('.pf').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    // Copy still names what it copies, in Arabic, once the page runs.
    await expect(page.getByRole('button', { name: `${CATALOGUE.ar.copy} ${CATALOGUE.ar.address}` })).toBeVisible();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'pending-ar-360.png'), fullPage: true, animations: 'disabled' });
  });
});

test('?locale=de gives German over Accept-Language, and the buyer switches to Japanese on the page', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  await page.setExtraHTTPHeaders({ 'accept-language': 'fr' });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}?locale=de&theme=light`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('link', { name: CATALOGUE.de.openWallet })).toBeVisible();

  await page.getByLabel(CATALOGUE.de.language).selectOption('ja');
  // Choosing changes nothing until the buyer confirms (no change of context on input).
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.getByRole('button', { name: CATALOGUE.de.languageApply }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  expect(new URL(page.url()).searchParams.get('theme')).toBe('light');
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  await expect(page.getByRole('link', { name: CATALOGUE.ja.openWallet })).toBeVisible();
  // Live after the reload: the countdown runs in Japanese.
  await expect(page.locator('.pf-timer')).toContainText(CATALOGUE.ja.expiresIn.replace(' {time}', ''));
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'pending-ja-360.png'), fullPage: true, animations: 'disabled' });
});

test("the loader's locale option gives the embedded checkout that language", async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  await page.goto(`${stack.shopUrl}/checkout?product=pour-over-kit`);
  await page.evaluate((id) => {
    const el = document.createElement('div');
    el.id = 'localised';
    document.body.append(el);
    window.Payframe.mount(el, { invoiceId: id, locale: 'pt-BR' });
  }, inv.id);
  const frame = page.frameLocator('#localised iframe');
  await expect(checkout(frame)).toBeVisible();
  await expect(frame.locator('html')).toHaveAttribute('lang', 'pt-BR');
  await expect(frame.getByRole('link', { name: CATALOGUE['pt-BR'].openWallet })).toBeVisible();
});
