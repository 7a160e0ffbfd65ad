/**
 * axe-core (every rule it runs by default, any impact) on every screen of the
 * checkout, hosted (/pay) and for an iframe (/embed), and on the payment
 * widget's picker: light and dark, 360 and 1280 px, English and Arabic (right
 * to left), with WCAG 2.2's target size on too. Zero violations, or the
 * test lists them.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { OTHER_WALLET } from '../demo/shop';
import { expect, expectState, test, type Stack } from './fixtures';

const VARIANTS = ['light', 'dark'].flatMap((theme) => [360, 1280].flatMap((width) => ['en', 'ar'].map((locale) => ({ theme, width, locale }))));

/** Opens `path` in every variant and expects axe to find nothing; `screen` is the checkout screen the page must show first. */
async function expectAccessible(page: Page, url: string, screen: string) {
  const found: string[] = [];
  for (const { theme, width, locale } of VARIANTS) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${url}${url.includes('?') ? '&' : '?'}theme=${theme}&locale=${locale}`);
    await expect(page.locator('.pf')).toHaveAttribute('data-screen', screen);
    // target-size (WCAG 2.2, 2.5.8: 24×24 px) is off in axe by default; on here.
    const { violations } = await new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } }).analyze();
    for (const v of violations) found.push(`${theme} ${width}px ${locale}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  expect(found).toEqual([]);
}

/** An invoice on each checkout screen: how to bring one there. */
const SCREENS: [screen: string, make: (stack: Stack) => Promise<string>][] = [
  ['pay', async (stack) => (await stack.createInvoice({ amount: '0.01' })).id],
  ['seen', (stack) => paid(stack, 0, 'MEM_POOL_FOUND')],
  ['paid', (stack) => paid(stack, 1, 'PAID')],
  ['completed', (stack) => paid(stack, 3, 'COMPLETED')],
  [
    'topup',
    async (stack) => {
      const under = await stack.createInvoice({ amount: '0.01' });
      await stack.pay(under.id, '0.004');
      await stack.mine(1);
      await expect.poll(async () => (await stack.view(under.id)).state).toBe('PENDING_INTERVENTION');
      return under.id;
    },
  ],
  [
    'review',
    async (stack) => {
      const senders = await stack.createInvoice({ amount: '0.01' });
      await stack.pay(senders.id, '0.004');
      await stack.pay(senders.id, '0.006', OTHER_WALLET);
      await stack.mine(1);
      await expect.poll(async () => (await stack.view(senders.id)).interventionType).toBe('MULTIPLE_SENDERS');
      return senders.id;
    },
  ],
  [
    'cancelled',
    async (stack) => {
      const inv = await stack.createInvoice();
      expect((await stack.signed('/invoice/archive', { id: inv.id })).status).toBe(200);
      return inv.id;
    },
  ],
];

/** An invoice paid in full, `blocks` mined after, in `state`. */
async function paid(stack: Stack, blocks: number, state: string): Promise<string> {
  const inv = await stack.createInvoice({ amount: '0.01' });
  await stack.pay(inv.id, '0.01');
  if (blocks) await stack.mine(blocks);
  await expect.poll(async () => (await stack.view(inv.id)).state).toBe(state);
  return inv.id;
}

// Eight page loads and axe runs per test: generous on a busy machine.
test.describe.configure({ timeout: 300_000 });

for (const [screen, make] of SCREENS) {
  test(`the ${screen} screen on /pay`, async ({ page, stack }) => {
    await expectAccessible(page, `${stack.payframeUrl}/pay/${await make(stack)}`, screen);
  });
  test(`the ${screen} screen on /embed, as the loader's modal shows it (with the Close button in the card)`, async ({ page, stack }) => {
    await expectAccessible(page, `${stack.payframeUrl}/embed/${await make(stack)}?modal=1`, screen);
  });
}

for (const path of ['w', 'embed/w']) {
  test(`the payment widget's picker on /${path}`, async ({ page, stack }) => {
    const widget = await stack.api.createWidget({ cryptoCurrencies: ['USDT_MATIC', 'ETH'], fiatAmount: '24.50', fiatCurrency: 'USD', description: 'Axe', idempotencyKey: `axe-${process.pid}-${Date.now()}-${path}` });
    const id = widget.paymentUrl.split('/w/')[1]!;
    await expectAccessible(page, `${stack.payframeUrl}/${path}/${id}${path === 'w' ? '' : '?modal=1'}`, 'picker');
  });
}

test('the first screen is driven by keyboard alone: each control is reached by Tab, with a visible focus', async ({ page, stack }) => {
  const inv = await stack.createInvoice();
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  const reached: string[] = [];
  // Everything the page offers: the wallet link, two copy buttons, the language and its button.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline, `focus on ${await focused.evaluate((el) => el.outerHTML.slice(0, 60))} is visible`).not.toBe('none');
    reached.push(await focused.evaluate((el) => (el instanceof HTMLSelectElement ? el.selectedOptions[0]!.text : (el as HTMLElement).innerText).replace(/\s+/g, ' ').trim()));
  }
  expect(reached).toEqual(['Open in wallet', 'Copy amount', 'Copy address', 'English', 'Change']);
});

test('reflows without horizontal scrolling at 320 px, and at 200 % zoom (1280 px seen as 640), left to right and right to left', async ({ page, stack }) => {
  // A token (its contract shown), then the completed screen with its receipt's full transaction hash: the longest lines.
  const token = await stack.createInvoice({ amount: '12.5', currency: 'USDT_MATIC' });
  const done = await stack.createInvoice({ amount: '0.01' });
  await stack.pay(done.id, '0.01');
  await stack.mine(3);
  await expect.poll(async () => (await stack.view(done.id)).state).toBe('COMPLETED');
  const overflowing: string[] = [];
  for (const [id, screen] of [
    [token.id, 'pay'],
    [done.id, 'completed'],
  ] as const) {
    for (const path of ['pay', 'embed']) {
      for (const width of [320, 640]) {
        for (const locale of ['en', 'ar']) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${stack.payframeUrl}/${path}/${id}?locale=${locale}`);
          await expect(page.locator('.pf')).toHaveAttribute('data-screen', screen);
          const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          if (scroll > client) overflowing.push(`/${path} ${screen} ${locale} at ${width} px: ${scroll} px wide in ${client}`);
        }
      }
    }
  }
  expect(overflowing).toEqual([]);
});
