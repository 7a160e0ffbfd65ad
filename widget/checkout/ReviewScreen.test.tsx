// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { expectCopies, fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { pendingView, seenView, viewWith } from './test-views';

fakeTimersAndCleanup();

const supportLink = () => screen.getByRole('link', { name: 'Contact support' });

describe('ReviewScreen', () => {
  it.each([
    ['OVERPAY', '0.2', 'Paid more than the amount', 'We received 0.2 ETH, more than the 0.123456789012345678 ETH asked. The merchant will review it and refund the difference.'],
    ['MULTIPLE_SENDERS', '0.2', 'Payments from more than one wallet', 'We received 0.2 ETH from more than one wallet. The merchant will review it and either accept the payment or refund you.'],
  ] as const)('says why a seen payment waits for the merchant: %s', (interventionType, amountPaid, title, text) => {
    const checkout = renderCheckout(seenView);
    checkout.push(viewWith({ ...seenView, version: 3, state: 'PENDING_INTERVENTION', interventionType, amountPaid }));
    expect(screen.getByRole('heading', { name: title })).toBeVisible();
    expect(document.body).toHaveTextContent(text);
    expect(screen.getByRole('status')).toHaveTextContent('The payment needs the merchant’s review.');
    expect(supportLink()).toHaveAttribute('href', 'https://shop.example/support');
    expect(supportLink()).toHaveAttribute('target', '_blank');
  });

  it('explains a payment that arrives after the invoice expired', () => {
    const checkout = renderCheckout(pendingView);
    checkout.wait(15 * 60_000 + 1_000);
    expect(screen.getByRole('heading', { name: 'Invoice expired' })).toBeVisible();
    checkout.push(viewWith({ version: 2, state: 'ARCHIVED' }));
    checkout.push(viewWith({ ...seenView, version: 3, state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' }));
    expect(screen.getByRole('heading', { name: 'Paid after the invoice expired' })).toBeVisible();
    expect(document.body).toHaveTextContent('We received 0.123456789012345678 ETH after this invoice expired. The merchant will review it');
    expect(document.body).toHaveTextContent('Please do not send anything more to this address.');
  });

  it('lets the buyer copy the transaction to quote it to support', async () => {
    const checkout = renderCheckout(viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS' }));
    await expectCopies(checkout, 'transaction', seenView.lastDepositHash);
  });

  it('tells the buyer to contact the merchant when there is no support link', () => {
    renderCheckout(viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY', supportUrl: null }));
    expect(document.body).toHaveTextContent('Questions? Contact the merchant.');
    expect(screen.queryByRole('link', { name: 'Contact support' })).toBeNull();
  });
});
