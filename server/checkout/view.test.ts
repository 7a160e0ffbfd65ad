import { describe, expect, it } from 'vitest';
import { LATE_PAYMENT_WINDOW_MS } from '../invoices/state-machine';
import type { CheckoutView } from '../../contract/checkout';
import { readStoredView, viewAsOf } from './view';

const expiresAt = Date.parse('2026-11-25T12:00:00.000Z');
const view = (over: Partial<CheckoutView>) => ({ state: 'ARCHIVED', expiresAt: new Date(expiresAt).toISOString(), final: false, ...over }) as CheckoutView;

describe('viewAsOf', () => {
  it('keeps an expired invoice open through its late-payment window, then final', () => {
    const expired = view({});
    expect(viewAsOf(expired, expiresAt + LATE_PAYMENT_WINDOW_MS)).toBe(expired);
    expect(viewAsOf(expired, expiresAt + LATE_PAYMENT_WINDOW_MS + 1)).toEqual({ ...expired, final: true });
  });

  it('never reopens a final view', () => {
    const archivedByMerchant = view({ final: true });
    expect(viewAsOf(archivedByMerchant, expiresAt - 1)).toBe(archivedByMerchant);
  });

});

describe('readStoredView', () => {
  const stored: CheckoutView = {
    id: 'inv_abc',
    version: 3,
    state: 'PAID',
    interventionType: null,
    isInterventionResolved: false,
    amount: '0.01',
    amountPaid: '0.01',
    amountDue: '0',
    currency: { code: 'ETH', network: 'sandbox', decimals: 18, token: null },
    address: '0x000000000000000000000000000000000000bEEF',
    paymentUri: null,
    createdAt: '2026-11-24T12:00:00.000Z',
    expiresAt: new Date(expiresAt).toISOString(),
    confirmations: { current: 1, paid: 1, final: 3 },
    lastDepositHash: '0xabc',
    description: 'Order 1',
    returnUrl: null,
    supportUrl: null,
    logoUrl: null,
    final: false,
  };

  it('reads a view as the engine stores it', () => {
    expect(readStoredView(JSON.stringify(stored))).toEqual(stored);
  });

  it('reads a version stored before views had `final` by the rule of then: COMPLETED and ARCHIVED end the checkout', () => {
    const old = (state: CheckoutView['state']) => {
      const v: Partial<CheckoutView> = { ...stored, state };
      delete v.final;
      return JSON.stringify(v);
    };
    expect(viewAsOf(readStoredView(old('COMPLETED')), expiresAt).final).toBe(true);
    expect(viewAsOf(readStoredView(old('ARCHIVED')), expiresAt).final).toBe(true);
    expect(viewAsOf(readStoredView(old('PAID')), expiresAt).final).toBe(false);
  });

  it('refuses what is not a view, naming what is wrong', () => {
    expect(() => readStoredView('{"id":')).toThrow(/not JSON/);
    expect(() => readStoredView(JSON.stringify({ ...stored, state: 'LOST' }))).toThrow(/state/);
    expect(() => readStoredView(JSON.stringify({ ...stored, amount: 0.01 }))).toThrow(/amount/);
    expect(() => readStoredView(JSON.stringify({ ...stored, final: 'no' }))).toThrow(/final/);
    expect(() => readStoredView('null')).toThrow(/does not match/);
  });
});
