// @vitest-environment happy-dom
/**
 * No word on the checkout comes from anywhere but the catalogue: every screen
 * is rendered with each message wrapped in ⟦…⟧, and once the data (the order's
 * description, amounts, addresses, hashes, language names) and the marked
 * messages are taken out, nothing but spacing and punctuation may be left.
 */
import '@testing-library/jest-dom/vitest';
import { signal } from '@preact/signals';
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckoutView } from '../../../contract/checkout';
import { LanguageSwitch } from '../LanguageSwitch';
import { Picker } from '../Picker';
import { renderCheckout } from '../test-checkout';
import { completedView, NOW, paidView, pendingView, seenView, underpaidView, viewWith, widgetView } from '../test-views';
import { CATALOGUE } from './catalogue';
import type { Messages } from './i18n';
import { withI18n } from './test-i18n';

const mark = (text: string) => `⟦${text}⟧`;
const MARKED = Object.fromEntries(
  Object.entries(CATALOGUE.en).map(([key, m]) => [key, typeof m === 'string' ? mark(m) : Object.fromEntries(Object.entries(m).map(([c, f]) => [c, mark(f)]))]),
) as unknown as Messages;

/** Elements that show data, not words: the order, amounts, addresses and hashes, and each language's own name. */
const DATA = '.pf-desc, .pf-total, code, option, .pf-num';

function strayText(): string {
  const copy = document.body.cloneNode(true) as HTMLElement;
  for (const el of copy.querySelectorAll(DATA)) el.remove();
  // Innermost first: a message's variable may be a message itself (a network's name in "{coin} on {network}").
  let text = copy.textContent!;
  for (let before = ''; before !== text; ) [before, text] = [text, text.replace(/⟦[^⟦⟧]*⟧/g, '')];
  return text.replace(/[\s·:]+/g, '');
}

function strayAttributes(): string[] {
  return [...document.body.querySelectorAll('[alt], [aria-label], [title]')].flatMap((el) =>
    (['alt', 'aria-label', 'title'] as const).flatMap((name) => {
      const value = el.getAttribute(name);
      // A title on a value holds the full value (a hash, a token contract): data again.
      if (value === null || value === '' || /^⟦.*⟧$/.test(value) || (name === 'title' && /^0x[0-9a-f]+$/i.test(value))) return [];
      return [`${el.tagName} ${name}="${value}"`];
    }),
  );
}

const HASH = seenView.lastDepositHash;
const later = NOW + 60 * 60_000;
const SCREENS: [string, CheckoutView, number?][] = [
  ['pay', pendingView],
  ['pay, bitcoin', viewWith({ currency: { code: 'BTC', network: 'bitcoin', decimals: 8, token: null }, address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', paymentUri: 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu' })],
  ['pay, token with fiat price', viewWith({ currency: { code: 'USDT_BSC', network: 'bsc', decimals: 18, token: `0x${'55'.repeat(20)}` }, fiat: { amount: '24.5', currency: 'USD', rate: '1', quoteExpiresAt: new Date(NOW + 60_000).toISOString() } })],
  ['topup', underpaidView],
  ['seen', seenView],
  ['paid', paidView],
  ['completed', completedView],
  ['review, overpaid', viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY' })],
  ['review, two senders', viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS', supportUrl: null })],
  ['review, late', viewWith({ ...seenView, state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', lastDepositHash: HASH })],
  ['expired', viewWith({ version: 2, state: 'ARCHIVED' }), later],
  ['cancelled', viewWith({ version: 2, state: 'ARCHIVED', final: true })],
  ['closed', viewWith({ ...seenView, state: 'ARCHIVED', interventionType: 'OVERPAY', isInterventionResolved: true, final: true })],
];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the checkout shows only words from the catalogue', () => {
  for (const [name, view, serverNow] of SCREENS) {
    it(`on the ${name} screen`, () => {
      renderCheckout(view, { messages: MARKED, widgetUrl: '/w/wid_x', modal: true, explorerTxUrl: 'https://explorer.example/tx/{hash}', ...(serverNow ? { serverNow } : {}) });
      // The screen rendered something from the catalogue; an empty page would pass the rest.
      expect(document.body.textContent).toMatch(/⟦/);
      expect(strayText()).toBe('');
      expect(strayAttributes()).toEqual([]);
    });
  }

  const widget = widgetView;
  for (const [name, view, lock] of [
    ['picker', widget, 60],
    ['picker, lock ended, paid', { ...widget, state: 'COMPLETED' as const }, 0],
    ['picker, expired', { ...widget, state: 'ARCHIVED' as const }, 0],
  ] as const) {
    it(`on the ${name} screen`, () => {
      render(withI18n(<Picker view={view} action="/w/wid_x" lockSeconds={signal(lock)} sandbox modal />, 'en', MARKED));
      expect(document.body.textContent).toMatch(/⟦/);
      expect(strayText()).toBe('');
      expect(strayAttributes()).toEqual([]);
    });
  }

  it('in the language switch', () => {
    render(withI18n(<LanguageSwitch keep={[['theme', 'dark']]} />, 'en', MARKED));
    expect(document.body.textContent).toMatch(/⟦/);
    expect(strayText()).toBe('');
    expect(strayAttributes()).toEqual([]);
  });
});
