// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { signal } from '@preact/signals';
import { render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { withI18n } from './i18n/test-i18n';
import { Picker } from './Picker';
import { startLockCountdown } from './picker-model';
import { fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { LOCK_END, NOW, viewWith, widgetView } from './test-views';

const widget = widgetView;

fakeTimersAndCleanup();

describe('Picker', () => {
  it('offers each coin with its network and amount, the price, and a form that posts the choice', () => {
    render(withI18n(<Picker view={widget} action="/w/wid_test" lockSeconds={signal(900)} sandbox={false} />));
    expect(screen.getByRole('radio', { name: /USDT on Polygon 24\.5 USDT/ })).toBeChecked();
    expect(screen.getByRole('radio', { name: /ETH on Ethereum 0\.00816667 ETH/ })).not.toBeChecked();
    // A coin no source can price right now cannot be chosen.
    expect(screen.getByRole('radio', { name: /BNB on BNB Smart Chain no rate right now/ })).toBeDisabled();
    expect(screen.getByRole('group', { name: 'Coin and network' })).toBeVisible();
    expect(screen.getAllByText('$24.50')).not.toHaveLength(0);
    expect(screen.getByRole('timer')).toHaveTextContent('15:00');
    const form = screen.getByRole('button', { name: 'Proceed to payment' }).closest('form')!;
    expect(form).toHaveAttribute('method', 'post');
    expect(form).toHaveAttribute('action', '/w/wid_test');
  });

  it('says an expired widget has expired, with no form', () => {
    render(withI18n(<Picker view={{ ...widget, state: 'ARCHIVED' }} action="/w/wid_test" lockSeconds={signal(0)} sandbox={false} />));
    expect(screen.getByRole('status')).toHaveTextContent('This payment link has expired');
    expect(screen.queryByRole('button', { name: 'Proceed to payment' })).toBeNull();
  });

  it('counts the rate lock down on the server clock and reloads for fresh quotes when it ends', () => {
    const reload = vi.fn();
    const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as number) };
    const seconds = startLockCountdown({ view: widget, serverNow: NOW + 60_000 }, { monotonic: () => performance.now(), timers, reload });
    expect(seconds.value).toBe(840);
    vi.advanceTimersByTime(839_100);
    expect(seconds.value).toBe(1);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(seconds.value).toBe(0);
    expect(reload).toHaveBeenCalledOnce();
  });
});

describe('the pay screen of a fiat invoice from a widget', () => {
  it('shows the fiat price beside the crypto amount, and the way back to the picker', () => {
    const view = viewWith({ fiat: { amount: '24.5', currency: 'USD', rate: '3000', quoteExpiresAt: LOCK_END } });
    renderCheckout(view, { widgetUrl: '/w/wid_test' });
    expect(document.body).toHaveTextContent('$24.50 at 3,000 USD/ETH');
    expect(screen.getByRole('link', { name: 'Choose another coin' })).toHaveAttribute('href', '/w/wid_test');
  });

  it('has no way back for an invoice the merchant created', () => {
    renderCheckout(viewWith({}));
    expect(screen.queryByRole('link', { name: 'Choose another coin' })).toBeNull();
  });
});
