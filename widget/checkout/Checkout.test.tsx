// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { completedView, pendingView } from './test-views';

fakeTimersAndCleanup();

describe('Checkout', () => {
  it("heads every screen with the merchant's logo, the order, its total, and the sandbox mark", () => {
    const checkout = renderCheckout(pendingView);
    const header = () => within(screen.getByRole('banner'));
    for (const next of [null, completedView]) {
      if (next) checkout.push(next);
      // The logo sits beside the order's text, so it is decoration (alt="") with no name to read out.
      expect(header().getByRole('img', { name: '' })).toHaveAttribute('src', 'https://shop.example/logo.png');
      expect(header().getByText('Order #1042 — 2 × Mountain coffee')).toBeVisible();
      expect(header().getByText('0.123456789012345678 ETH')).toBeVisible();
      expect(header().getByText('Sandbox')).toHaveAttribute('title', 'Sandbox chain: no real funds move');
    }
  });

  it("names the merchant in the header, as text, when the merchant has a display name", () => {
    renderCheckout(pendingView, { merchantName: 'Beans <b>& Co</b>' });
    expect(within(screen.getByRole('banner')).getByText('Beans <b>& Co</b>')).toBeVisible();
  });
});
