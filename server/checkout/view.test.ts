import { describe, expect, it } from 'vitest';
import { LATE_PAYMENT_WINDOW_MS } from '../invoices/state-machine';
import type { CheckoutView } from '../../contract/checkout';
import { CheckedViews } from './checked-views';
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

describe('readStoredView', () => {

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

describe('CheckedViews', () => {
  it('takes a version this process wrote as written, and does not check it again when it is read', () => {
    const views = new CheckedViews();
    const text = JSON.stringify({ ...stored, state: 'COMPLETED', final: true });
    expect(views.written('inv_abc', 4, { text, final: true, lateWindowEnd: null })).toEqual({ text, final: true, lateWindowEnd: null });
    // Read later (a poll, a stream that joins), the version's text is not parsed again: what was written is
    // known. Text that would not parse shows it (a version nobody wrote here is parsed, and refused).
    expect(views.read('inv_abc', 4, 'not json')).toEqual({ text: 'not json', final: true, lateWindowEnd: null });
    expect(() => views.read('inv_abc', 5, 'not json')).toThrow();
  });

  it('sends a current view as stored, the same text every time', () => {
    const views = new CheckedViews();
    const text = JSON.stringify(stored);
    expect(views.read('inv_abc', 3, text)).toEqual({ text, final: false, lateWindowEnd: null });
    expect(views.read('inv_abc', 3, text).text).toBe(text);
  });

  it('sends a view stored before `final` as read, with `final` by the rule of then', () => {
    const old: Partial<CheckoutView> = { ...stored, state: 'COMPLETED' };
    delete old.final;
    const served = new CheckedViews().read('inv_abc', 3, JSON.stringify(old));
    expect(JSON.parse(served.text)).toEqual({ ...old, final: true });
    expect(served.final).toBe(true);
  });

  it("knows when an expired invoice's version turns final by the clock", () => {
    const expired = JSON.stringify({ ...stored, state: 'ARCHIVED', final: false });
    expect(new CheckedViews().read('inv_abc', 4, expired).lateWindowEnd).toBe(expiresAt + LATE_PAYMENT_WINDOW_MS);
  });

  it('refuses a corrupt view every time it is asked for, never serving it', () => {
    const views = new CheckedViews();
    expect(() => views.read('inv_abc', 5, '{"id":')).toThrow(/not JSON/);
    expect(() => views.read('inv_abc', 5, '{"id":')).toThrow(/not JSON/);
  });

  it('forgets the oldest versions past its capacity and checks them again', () => {
    const views = new CheckedViews(1);
    views.read('inv_a', 1, JSON.stringify(stored));
    views.read('inv_b', 1, JSON.stringify(stored));
    expect(() => views.read('inv_a', 1, 'not a view')).toThrow(/not JSON/);
    expect(views.read('inv_b', 1, 'stored text, trusted once checked').text).toBe('stored text, trusted once checked');
  });
});
