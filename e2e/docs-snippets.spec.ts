/**
 * The HTML blocks of the docs (docs/snippets.ts finds them; docs/snippets.test.ts
 * runs the others), each served as a page on the demo shop's origin — a
 * merchant's page — with the docs' example addresses pointing at this
 * Payframe and `inv_…` a real invoice, then used as a buyer would.
 */
import { allSnippets, describeSnippet, type Snippet } from '../docs/snippets';
import { checkout, expect, expectState, test, type Stack } from './fixtures';

const html = allSnippets().filter((s) => s.lang === 'html');

// The snippets are a merchant's page with its own inline scripts; the demo shop's strict CSP (no inline script) is its own, not theirs.
test.use({ bypassCSP: true });

/** The snippet as a page of the shop: example addresses made real, the invoice id a real one. */
function page(s: Snippet, stack: Stack, invoiceId: string): string {
  const body = s.body
    .replaceAll('https://pay.example.com', stack.payframeUrl)
    .replaceAll('https%3A%2F%2Fshop.example', encodeURIComponent(stack.shopUrl))
    .replaceAll('https://shop.example', stack.shopUrl)
    .replaceAll('inv_…', invoiceId);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs snippet</title></head><body>${body}</body></html>`;
}

test('the docs have HTML blocks to run', () => {
  expect(html.map((s) => s.file)).toEqual(['docs/checkout.md', 'docs/checkout.md', 'docs/checkout.md']);
});

for (const s of html) {
  test(`${describeSnippet(s)} works as written`, async ({ page: browser, stack }) => {
    const invoice = await stack.createInvoice();
    const logged: string[] = [];
    browser.on('console', (m) => logged.push(m.text()));
    // A page of the shop's own origin that runs no script of its own (an order the shop does not know: a JSON 404), then
    // the snippet written into it. A page fulfilled by the test would not be on loopback, and Chromium keeps a public
    // page from loading Payframe on loopback.
    await browser.goto(`${stack.shopUrl}/orders/none`);
    await browser.setContent(page(s, stack, invoice.id));
    const frame = browser.frameLocator('iframe');

    if (s.body.includes('data-payframe-invoice')) {
      // Inline: the loader mounts the checkout, and the page's listener hears its status.
      await expectState(frame, 'PENDING_PAYMENT', 'pay');
      await expect.poll(() => logged).toContain('checkout shows PENDING_PAYMENT');
    } else if (s.body.includes('Payframe.open')) {
      // Modal: the shop's backend makes an order's invoice, the dialog shows it, callbacks update the page.
      await browser.getByRole('button', { name: 'Pay' }).click();
      await expect(browser.getByRole('dialog', { name: 'Payment' })).toBeVisible();
      await expectState(frame, 'PENDING_PAYMENT', 'pay');
      await expect(browser.getByRole('status')).toHaveText('PENDING_PAYMENT');
      await browser.keyboard.press('Escape');
      await expect(browser.getByRole('status')).toHaveText('Closed');
    } else {
      // Plain iframe: sized by the checkout's resize message, and the page hears its messages.
      await expect(checkout(frame)).toBeVisible();
      await expect.poll(() => logged).toContain('ready PENDING_PAYMENT');
      await expect.poll(async () => browser.locator('iframe').evaluate((f) => f.style.height)).not.toBe('560px');
    }
  });
}
