// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { NOW, pendingView, seenView, viewWith } from './test-views';

fakeTimersAndCleanup();

const anHourLater = NOW + 60 * 60_000;
const heading = (name: string) => screen.getByRole('heading', { name });

describe('ClosedScreen', () => {
  it('says an expired invoice must not be paid, and offers the way back to the store and to support', () => {
    renderCheckout(viewWith({ version: 2, state: 'ARCHIVED' }), { serverNow: anHourLater });
    expect(heading('Invoice expired')).toBeVisible();
    expect(document.body).toHaveTextContent('This invoice expired before a payment arrived. Do not send anything to its address');
    expect(screen.queryByRole('img', { name: /^QR code/ })).toBeNull();
    expect(screen.queryByText(pendingView.address)).toBeNull();
    expect(screen.queryByRole('link', { name: 'Open in wallet' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Return to store' })).toHaveAttribute('href', 'https://shop.example/thanks');
    expect(screen.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', 'https://shop.example/support');
  });

  it('says so when the merchant cancels the invoice while the buyer looks at it', () => {
    const checkout = renderCheckout(pendingView);
    checkout.push(viewWith({ version: 2, state: 'ARCHIVED', paymentUri: null, final: true }));
    expect(heading('Invoice closed')).toBeVisible();
    expect(document.body).toHaveTextContent('The merchant cancelled this invoice. Do not send anything to its address.');
    expect(screen.getByRole('status')).toHaveTextContent('The invoice was cancelled.');
    expect(screen.queryByRole('link', { name: 'Open in wallet' })).toBeNull();
  });

  it('says the merchant declined the payment when it rejects it', () => {
    const checkout = renderCheckout(viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY', amountPaid: '0.2' }));
    checkout.push(viewWith({ ...seenView, version: 4, state: 'ARCHIVED', interventionType: 'OVERPAY', isInterventionResolved: true, amountPaid: '0.2', final: true }));
    expect(heading('Invoice closed')).toBeVisible();
    expect(document.body).toHaveTextContent('The merchant declined the 0.2 ETH received and closed this invoice; any refund is arranged by the merchant.');
    expect(screen.getByRole('status')).toHaveTextContent('The invoice is closed.');
  });

  it('tells the buyer to contact the merchant when there is no support link or return URL', () => {
    renderCheckout(viewWith({ version: 2, state: 'ARCHIVED', supportUrl: null, returnUrl: null }), { serverNow: anHourLater });
    expect(document.body).toHaveTextContent('Questions? Contact the merchant.');
    expect(screen.queryByRole('link')).toBeNull();
  });
});
