import { describe, expect, it } from 'vitest';
import type { Timers } from './countdown';
import { createCheckoutModel, screenOf } from './model';
import { boot, NOW, pendingView, underpaidView, viewWith } from './test-views';

const idleTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
const env = { monotonic: () => 0, timers: idleTimers };

describe('screenOf', () => {
  it.each([
    ['PENDING_PAYMENT', null, '0', 60, 'pay'],
    ['PENDING_PAYMENT', null, '0', 0, 'expired'],
    ['MEM_POOL_FOUND', null, '0.1', 60, 'seen'],
    ['PAID', null, '0.1', 60, 'paid'],
    ['COMPLETED', null, '0.1', 0, 'completed'],
    ['PENDING_INTERVENTION', 'UNDERPAY', '0.1', 60, 'topup'],
    ['PENDING_INTERVENTION', 'UNDERPAY', '0.1', 0, 'review'],
    ['PENDING_INTERVENTION', 'OVERPAY', '0.2', 60, 'review'],
    ['PENDING_INTERVENTION', 'MULTIPLE_SENDERS', '0.1', 60, 'review'],
    ['PENDING_INTERVENTION', 'LATE_PAYMENT', '0.1', 0, 'review'],
    ['ARCHIVED', null, '0', 0, 'expired'],
    ['ARCHIVED', null, '0', 60, 'cancelled'],
    ['ARCHIVED', 'OVERPAY', '0.2', 60, 'closed'],
  ] as const)('%s %s, paid %s, %is left → %s', (state, interventionType, amountPaid, secondsLeft, screen) => {
    expect(screenOf(viewWith({ state, interventionType, amountPaid }), secondsLeft)).toBe(screen);
  });

  it('does not ask for a top-up the merchant has already resolved', () => {
    expect(screenOf({ ...underpaidView, isInterventionResolved: true }, 60)).toBe('review');
  });
});

describe('createCheckoutModel', () => {
  it('counts down from the server time of the page', () => {
    const model = createCheckoutModel(boot(pendingView, NOW + 5 * 60_000), env);
    expect(model.timeLeft.value).toBe('10:00');
    expect(model.screen.value).toBe('pay');
  });

  it('moves the QR to the version whose payment URI changed, and only then', () => {
    const model = createCheckoutModel(boot(pendingView), env);
    expect(model.qrUrl.value).toBe('/qr/inv_test/1.svg');
    model.update(viewWith({ version: 2, state: 'MEM_POOL_FOUND' }));
    expect(model.qrUrl.value).toBe('/qr/inv_test/1.svg');
    model.update(underpaidView);
    expect(model.qrUrl.value).toBe('/qr/inv_test/3.svg');
    expect(model.screen.value).toBe('topup');
  });

  it('keeps two checkouts apart', () => {
    const a = createCheckoutModel(boot(pendingView), env);
    const b = createCheckoutModel(boot(viewWith({ id: 'inv_other' })), env);
    a.update(viewWith({ version: 2, state: 'PAID' }));
    expect(a.screen.value).toBe('paid');
    expect(b.screen.value).toBe('pay');
  });

  it('becomes interactive only when started', () => {
    const model = createCheckoutModel(boot(pendingView), env);
    expect(model.interactive.value).toBe(false);
    const stop = model.start();
    expect(model.interactive.value).toBe(true);
    stop();
  });
});
