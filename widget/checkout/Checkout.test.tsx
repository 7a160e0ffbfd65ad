import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { CheckoutView } from '../../contract/checkout';
import { Checkout } from './Checkout';
import { createCheckoutModel } from './model';
import { boot, NOW, pendingView, underpaidView, viewWith } from './test-views';

const idle = { setTimeout: () => 0, clearTimeout: () => undefined };

function render(view: CheckoutView, opts: { serverNow?: number; interactive?: boolean } = {}) {
  const model = createCheckoutModel(boot(view, opts.serverNow), { monotonic: () => 0, timers: idle });
  if (opts.interactive) model.interactive.value = true;
  const html = renderToString(<Checkout model={model} />);
  // Text as a buyer reads it: tags out, entities decoded.
  return { html, text: html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ') };
}

describe('Checkout', () => {
  it('shows what to pay, exactly, with the QR of the payment URI and a wallet link', () => {
    const { html, text } = render(pendingView);
    expect(text).toContain('0.123456789012345678 ETH');
    expect(text).toContain('on Ethereum');
    expect(text).toContain(pendingView.address);
    expect(html).toContain('src="/qr/inv_test/1.svg"');
    expect(html).toContain(`href="${pendingView.paymentUri}" target="_top"`);
    expect(text).toContain('Expires in 15:00');
    expect(html).toContain('src="https://shop.example/logo.png"');
    expect(text).toContain('Order #1042 — 2 × Mountain coffee');
  });

  it('shows copy buttons only once the page runs script', () => {
    expect(render(pendingView).html).not.toContain('pf-copy');
    expect(render(pendingView, { interactive: true }).text).toContain('Copy amount');
  });

  it('names the token contract for a token payment', () => {
    const { text } = render(viewWith({ currency: { code: 'USDT_BSC', network: 'bsc', decimals: 18, token: '0x55d398326f99059fF775485246999027B3197955' } }));
    expect(text).toContain('USDT');
    expect(text).toContain('on BNB Smart Chain · token 0x55d398…197955');
  });

  it('asks for the remainder of an underpaid open invoice', () => {
    const { html, text } = render(underpaidView);
    expect(text).toContain('You paid 0.1 of 0.123456789012345678 ETH. Send the remaining 0.023456789012345678 ETH from the same wallet');
    expect(html).toContain('src="/qr/inv_test/3.svg"');
    expect(html).toContain('href="https://shop.example/support"');
  });

  it('shows the transaction while waiting for the first confirmation', () => {
    const { text } = render(viewWith({ state: 'MEM_POOL_FOUND', amountPaid: '0.123456789012345678', lastDepositHash: `0x${'ab'.repeat(32)}` }));
    expect(text).toContain('Payment seen');
    expect(text).toContain('0xababab…ababab');
  });

  it('counts confirmations until final', () => {
    const { html, text } = render(viewWith({ state: 'PAID', amountPaid: '0.123456789012345678', confirmations: { current: 2, paid: 1, final: 12 } }));
    expect(text).toContain('Confirmations: 2 of 12 until final');
    expect(html).toContain('<progress max="12" value="2"');
  });

  it('returns to the store from the top window when complete', () => {
    const { html, text } = render(viewWith({ state: 'COMPLETED', amountPaid: '0.123456789012345678' }));
    expect(text).toContain('Payment complete');
    expect(html).toContain('href="https://shop.example/thanks" target="_top"');
  });

  it.each([
    ['OVERPAY', 'Paid more than the amount', 'refund the difference'],
    ['MULTIPLE_SENDERS', 'Payments from more than one wallet', 'either accept the payment or refund you'],
    ['LATE_PAYMENT', 'Paid after the invoice expired', 'either accept the payment or refund you'],
  ] as const)('explains %s and what happens next, with the support link', (interventionType, title, next) => {
    const { html, text } = render(viewWith({ state: 'PENDING_INTERVENTION', interventionType, amountPaid: '0.2' }));
    expect(text).toContain(title);
    expect(text).toContain(next);
    expect(html).toContain('href="https://shop.example/support"');
  });

  it('explains an underpayment the buyer can no longer top up', () => {
    const { text } = render(underpaidView, { serverNow: NOW + 60 * 60_000 });
    expect(text).toContain('Paid less than the amount');
    expect(text).toContain('We received 0.1 of 0.123456789012345678 ETH');
  });

  it('says an expired invoice must not be paid, and offers the way back', () => {
    const { html, text } = render(viewWith({ state: 'ARCHIVED' }), { serverNow: NOW + 60 * 60_000 });
    expect(text).toContain('Invoice expired');
    expect(text).toContain('Do not send anything to its address');
    expect(html).toContain('href="https://shop.example/support"');
  });

  it('says so when there is no support link', () => {
    const { text } = render(viewWith({ state: 'ARCHIVED', supportUrl: null }), { serverNow: NOW + 60 * 60_000 });
    expect(text).toContain('Questions? Contact the merchant.');
  });
});
