import { describe, expect, it } from 'vitest';
import { LATE_PAYMENT_WINDOW_MS } from '../invoices/state-machine';
import type { CheckoutView } from '../../contract/checkout';
import { viewAsOf } from './view';

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

  it('reads a version stored before views had `final` by the rule of then: COMPLETED and ARCHIVED end the checkout', () => {
    const old = (state: CheckoutView['state']) => {
      const v: Partial<CheckoutView> = view({ state });
      delete v.final;
      return v as CheckoutView;
    };
    expect(viewAsOf(old('COMPLETED'), expiresAt).final).toBe(true);
    expect(viewAsOf(old('ARCHIVED'), expiresAt).final).toBe(true);
    expect(viewAsOf(old('PAID'), expiresAt).final).toBe(false);
  });
});
