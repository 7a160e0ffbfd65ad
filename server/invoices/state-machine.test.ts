import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paidThreshold } from '../money/amount';
import { INVOICE_STATES, type InvoiceState, type Resolution } from '../../contract/enums';
import {
  canTransition,
  isFinal,
  step,
  type InvoiceEvent,
  type InvoiceFacts,
  type Outcome,
  type PaymentFact,
  type StepResult,
} from './state-machine';

const BUYER = '0x1111111111111111111111111111111111111111';
const OTHER = '0x2222222222222222222222222222222222222222';
const EXPIRES = 1_000_000;
const BEFORE = EXPIRES - 1;
const AFTER = EXPIRES + 1;
const FINAL = 12;

function invoice(over: Partial<InvoiceFacts> = {}): InvoiceFacts {
  return {
    state: 'PENDING_PAYMENT',
    interventionType: null,
    resolution: null,
    archivedByMerchant: false,
    amount: 1000n,
    overpayTolerance: 0n,
    expiresAt: EXPIRES,
    paidConfirmations: 1,
    finalConfirmations: FINAL,
    payments: [],
    ...over,
  };
}

function pay(amount: bigint, confirmations: number, over: Partial<PaymentFact> = {}): PaymentFact {
  return { sender: BUYER, amount, confirmations, late: false, ...over };
}

const current = (f: InvoiceFacts): Outcome => ({
  state: f.state,
  interventionType: f.interventionType,
  resolution: f.resolution,
  archivedByMerchant: f.archivedByMerchant,
});

const OBSERVED: InvoiceEvent = { type: 'OBSERVED' };
const TICK: InvoiceEvent = { type: 'TICK' };
const ARCHIVE: InvoiceEvent = { type: 'ARCHIVE' };
const ACCEPT: InvoiceEvent = { type: 'RESOLVE', action: 'ACCEPT' };
const REJECT: InvoiceEvent = { type: 'RESOLVE', action: 'REJECT' };
const EVENTS = { OBSERVED, TICK, ARCHIVE, 'RESOLVE ACCEPT': ACCEPT, 'RESOLVE REJECT': REJECT } as const;

/** Every state, with the variants of PENDING_INTERVENTION and ARCHIVED that behave differently. */
const STARTS: Record<string, Partial<InvoiceFacts>> = {
  PENDING_PAYMENT: { state: 'PENDING_PAYMENT' },
  MEM_POOL_FOUND: { state: 'MEM_POOL_FOUND' },
  PAID: { state: 'PAID' },
  'PENDING_INTERVENTION (UNDERPAY, unresolved)': { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' },
  'PENDING_INTERVENTION (LATE_PAYMENT, unresolved)': { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' },
  'PENDING_INTERVENTION (LATE_PAYMENT, accepted)': { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', resolution: 'ACCEPT' },
  COMPLETED: { state: 'COMPLETED' },
  'ARCHIVED by expiry': { state: 'ARCHIVED' },
  'ARCHIVED by expiry after an ACCEPT': { state: 'ARCHIVED', resolution: 'ACCEPT' },
  'ARCHIVED by the merchant': { state: 'ARCHIVED', archivedByMerchant: true },
  'ARCHIVED by REJECT': { state: 'ARCHIVED', resolution: 'REJECT' },
};

const PAYMENT_SETS: Record<string, readonly PaymentFact[]> = {
  none: [],
  'mempool only': [pay(1000n, 0)],
  'confirmed full': [pay(1000n, 1)],
  'confirmed underpaid': [pay(994n, 1)],
  'within the 99.5 % tolerance': [pay(995n, 1)],
  'overpaid beyond tolerance': [pay(1001n, 1)],
  'two senders': [pay(500n, 1), pay(500n, 1, { sender: OTHER })],
  'late payment': [pay(1000n, 1, { late: true })],
  'late payment in the mempool': [pay(1000n, 0, { late: true })],
  'final confirmations reached': [pay(1000n, FINAL)],
  'final and a mempool top-up': [pay(1000n, FINAL), pay(1n, 0)],
  'underpaid and a mempool top-up': [pay(994n, 1), pay(6n, 0)],
};

function expectLegal(facts: InvoiceFacts, result: StepResult): void {
  if (!result.ok) {
    expect(result.reason).toMatch(/\w/);
    return;
  }
  expect(INVOICE_STATES).toContain(result.next.state);
  expect(canTransition(facts.state, result.next.state)).toBe(true);
  if (result.next.state === 'COMPLETED' && facts.state !== 'COMPLETED') {
    expect(facts.payments.length).toBeGreaterThan(0);
    for (const p of facts.payments) expect(p.confirmations).toBeGreaterThanOrEqual(facts.finalConfirmations);
  }
  if (isFinal(facts)) expect(result.next).toEqual(current(facts));
}

describe('step', () => {
  describe.each(Object.entries(STARTS))('from %s', (_, start) => {
    it.each(Object.entries(EVENTS))('answers %s with a legal transition or a refusal for every payment set and time', (_, event) => {
      for (const [paymentsName, payments] of Object.entries(PAYMENT_SETS)) {
        for (const now of [BEFORE, EXPIRES, AFTER]) {
          const facts = invoice({ ...start, payments });
          const context = `${paymentsName} at ${now}`;
          const result = step(facts, event, now);
          expect(() => expectLegal(facts, result), context).not.toThrow();

          if (event.type === 'ARCHIVE') {
            const archivable = facts.state === 'ARCHIVED' || (facts.state === 'PENDING_PAYMENT' && payments.length === 0);
            expect(result.ok, context).toBe(archivable);
            if (result.ok && facts.state === 'PENDING_PAYMENT') expect(result.next).toMatchObject({ state: 'ARCHIVED', archivedByMerchant: true });
          }
          if (event.type === 'RESOLVE') {
            expect(result.ok, context).toBe(facts.state === 'PENDING_INTERVENTION' && facts.resolution === null);
            if (result.ok) expect(result.next.resolution).toBe(event.action);
            if (result.ok && event.action === 'REJECT') expect(result.next.state).toBe('ARCHIVED');
          }
          if (event.type === 'OBSERVED' || event.type === 'TICK') {
            // The only refusal is for an archived-as-expired invoice whose clock says it has not expired: no real invoice is there.
            const impossible = facts.state === 'ARCHIVED' && !isFinal(facts) && now < EXPIRES && payments.length === 0;
            expect(result.ok, context).toBe(!impossible);
          }
          if (result.ok && !isFinal(facts) && !(event.type === 'ARCHIVE' && facts.state === 'ARCHIVED')) {
            if (result.next.resolution === null) {
              expect(result.next.interventionType !== null, context).toBe(result.next.state === 'PENDING_INTERVENTION');
            } else if (facts.interventionType !== null) {
              // A resolved intervention keeps the type the merchant decided on.
              expect(result.next.interventionType, context).toBe(facts.interventionType);
            }
          }
        }
      }
    });
  });

  it.each<[string, Partial<InvoiceFacts>, InvoiceEvent, number, Partial<Outcome>]>([
    ['a mempool payment is found', { payments: [pay(1000n, 0)] }, OBSERVED, BEFORE, { state: 'MEM_POOL_FOUND', interventionType: null }],
    ['the full amount is confirmed', { state: 'MEM_POOL_FOUND', payments: [pay(1000n, 1)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    ['995 of 1000 is confirmed', { state: 'MEM_POOL_FOUND', payments: [pay(995n, 1)] }, OBSERVED, BEFORE, { state: 'PAID', interventionType: null }],
    ['994 of 1000 is confirmed', { state: 'MEM_POOL_FOUND', payments: [pay(994n, 1)] }, OBSERVED, BEFORE, { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' }],
    ['the payment is mined straight from nothing', { payments: [pay(1000n, 3)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    ['the payment has 1 of 2 required confirmations', { state: 'MEM_POOL_FOUND', paidConfirmations: 2, payments: [pay(1000n, 1)] }, OBSERVED, BEFORE, { state: 'MEM_POOL_FOUND' }],
    ['the payment has 2 of 2 required confirmations', { state: 'MEM_POOL_FOUND', paidConfirmations: 2, payments: [pay(1000n, 2)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    [
      'an underpayment is topped up by the same sender and confirmed',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(994n, 3), pay(6n, 1)] },
      OBSERVED,
      BEFORE,
      { state: 'PAID', interventionType: null, resolution: null },
    ],
    [
      'an underpayment is topped up by the same sender in the mempool',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(994n, 3), pay(6n, 0)] },
      OBSERVED,
      BEFORE,
      { state: 'MEM_POOL_FOUND', interventionType: null },
    ],
    [
      'an underpayment is topped up by another sender',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(994n, 3), pay(6n, 1, { sender: OTHER })] },
      OBSERVED,
      BEFORE,
      { state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS' },
    ],
    [
      'an underpayment is topped up by another sender in the mempool',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(994n, 3), pay(6n, 0, { sender: OTHER })] },
      OBSERVED,
      BEFORE,
      { state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS' },
    ],
    [
      'two payments come from one sender written in two cases',
      { state: 'MEM_POOL_FOUND', payments: [pay(500n, 1), pay(500n, 1, { sender: BUYER.toUpperCase().replace('0X', '0x') })] },
      OBSERVED,
      BEFORE,
      { state: 'PAID' },
    ],
    ['1001 of 1000 is confirmed with no overpay tolerance', { state: 'MEM_POOL_FOUND', payments: [pay(1001n, 1)] }, OBSERVED, BEFORE, { state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY' }],
    ['1010 of 1000 is confirmed with a tolerance of 10', { state: 'MEM_POOL_FOUND', overpayTolerance: 10n, payments: [pay(1010n, 1)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    [
      '1011 of 1000 is confirmed with a tolerance of 10',
      { state: 'MEM_POOL_FOUND', overpayTolerance: 10n, payments: [pay(1011n, 1)] },
      OBSERVED,
      BEFORE,
      { state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY' },
    ],
    ['an overpayment is still in the mempool', { state: 'MEM_POOL_FOUND', payments: [pay(2000n, 0)] }, OBSERVED, BEFORE, { state: 'MEM_POOL_FOUND' }],
    ['a paid invoice gets a second confirmed payment', { state: 'PAID', payments: [pay(1000n, 5), pay(1000n, 1)] }, OBSERVED, BEFORE, { state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY' }],
    ['a payment arrives after expiry', { payments: [pay(1000n, 0, { late: true })] }, OBSERVED, AFTER, { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' }],
    ['a late payment is confirmed in full', { payments: [pay(1000n, 1, { late: true })] }, OBSERVED, AFTER, { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' }],
    [
      'a late payment comes from a second sender',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(500n, 5), pay(500n, 1, { sender: OTHER, late: true })] },
      OBSERVED,
      AFTER,
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' },
    ],
    ['every payment reaches final confirmations', { state: 'PAID', payments: [pay(600n, FINAL), pay(400n, FINAL + 3)] }, OBSERVED, BEFORE, { state: 'COMPLETED' }],
    ['one payment is final and another is not', { state: 'PAID', payments: [pay(600n, FINAL), pay(400n, FINAL - 1)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    ['a paid invoice is one confirmation short of final', { state: 'PAID', payments: [pay(1000n, FINAL - 1)] }, OBSERVED, BEFORE, { state: 'PAID' }],
    ['a final payment completes an invoice seen only now', { payments: [pay(1000n, FINAL)] }, OBSERVED, BEFORE, { state: 'COMPLETED' }],
    ['a reorg removes the only payment before expiry', { state: 'PAID', payments: [] }, OBSERVED, BEFORE, { state: 'PENDING_PAYMENT' }],
    ['a reorg removes the only payment after expiry', { state: 'PAID', payments: [] }, OBSERVED, AFTER, { state: 'ARCHIVED', archivedByMerchant: false }],
    ['a reorg puts the payment back into the mempool', { state: 'PAID', payments: [pay(1000n, 0)] }, OBSERVED, BEFORE, { state: 'MEM_POOL_FOUND' }],
    ['a reorg removes a top-up', { state: 'PAID', payments: [pay(994n, 4)] }, OBSERVED, BEFORE, { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' }],
    ['an unpaid invoice ticks at its expiry', {}, TICK, EXPIRES, { state: 'ARCHIVED', archivedByMerchant: false, resolution: null }],
    ['an unpaid invoice ticks after its expiry', {}, TICK, AFTER, { state: 'ARCHIVED', archivedByMerchant: false }],
    ['an unpaid invoice ticks 1 ms before its expiry', {}, TICK, BEFORE, { state: 'PENDING_PAYMENT' }],
    ['an invoice with a mempool payment ticks after its expiry', { state: 'MEM_POOL_FOUND', payments: [pay(1000n, 0)] }, TICK, AFTER, { state: 'MEM_POOL_FOUND' }],
    ['an underpaid invoice ticks after its expiry', { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(500n, 2)] }, TICK, AFTER, { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' }],
    ['an expired invoice gets a late payment', { state: 'ARCHIVED', payments: [pay(1000n, 0, { late: true })] }, OBSERVED, AFTER, { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' }],
    ['an expired invoice gets a late underpayment', { state: 'ARCHIVED', payments: [pay(10n, 3, { late: true })] }, OBSERVED, AFTER, { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' }],
    [
      // Seen before expiry, taken away by a reorg after it, then mined again: its late flag is still false.
      'an expired invoice gets back a payment a reorg took away',
      { state: 'ARCHIVED', payments: [pay(1000n, 1)] },
      OBSERVED,
      AFTER,
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' },
    ],
    [
      'an expired invoice gets back a mempool payment a reorg took away',
      { state: 'ARCHIVED', payments: [pay(1000n, 0)] },
      OBSERVED,
      AFTER,
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' },
    ],
    [
      'an expired invoice whose accepted payment a reorg took away gets it back',
      { state: 'ARCHIVED', resolution: 'ACCEPT', payments: [pay(1000n, 2, { late: true })] },
      OBSERVED,
      AFTER,
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', resolution: 'ACCEPT' },
    ],
    [
      'the payment brought back to an accepted invoice is confirmed again',
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', resolution: 'ACCEPT', payments: [pay(1000n, 1, { late: true })] },
      OBSERVED,
      AFTER,
      { state: 'PAID', resolution: 'ACCEPT', interventionType: 'LATE_PAYMENT' },
    ],
    ['an expired invoice ticks again', { state: 'ARCHIVED' }, TICK, AFTER, { state: 'ARCHIVED', archivedByMerchant: false }],
    ['the merchant archives an unpaid invoice', {}, ARCHIVE, BEFORE, { state: 'ARCHIVED', archivedByMerchant: true, interventionType: null }],
    ['the merchant archives an expired, not yet archived invoice', {}, ARCHIVE, AFTER, { state: 'ARCHIVED', archivedByMerchant: true }],
    ['the merchant archives an invoice a reorg left unpaid', { resolution: 'ACCEPT' }, ARCHIVE, BEFORE, { state: 'ARCHIVED', archivedByMerchant: true }],
    ['the merchant archives an invoice archived by expiry', { state: 'ARCHIVED' }, ARCHIVE, AFTER, { state: 'ARCHIVED', archivedByMerchant: false }],
    [
      'the merchant accepts an underpayment',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(500n, 2)] },
      ACCEPT,
      BEFORE,
      { state: 'PAID', resolution: 'ACCEPT', interventionType: 'UNDERPAY' },
    ],
    [
      'the merchant accepts a final underpayment',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(500n, FINAL)] },
      ACCEPT,
      BEFORE,
      { state: 'COMPLETED', resolution: 'ACCEPT' },
    ],
    [
      'the merchant accepts an overpayment',
      { state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY', payments: [pay(2000n, 2)] },
      ACCEPT,
      BEFORE,
      { state: 'PAID', resolution: 'ACCEPT' },
    ],
    [
      'the merchant accepts payments from two senders',
      { state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS', payments: [pay(500n, FINAL), pay(500n, FINAL, { sender: OTHER })] },
      ACCEPT,
      BEFORE,
      { state: 'COMPLETED', resolution: 'ACCEPT' },
    ],
    [
      'the merchant accepts a late payment still in the mempool',
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', payments: [pay(1000n, 0, { late: true })] },
      ACCEPT,
      AFTER,
      { state: 'MEM_POOL_FOUND', resolution: 'ACCEPT' },
    ],
    [
      'the merchant accepts a confirmed late payment',
      { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', payments: [pay(1000n, 1, { late: true })] },
      ACCEPT,
      AFTER,
      { state: 'PAID', resolution: 'ACCEPT' },
    ],
    [
      'the merchant rejects an underpayment',
      { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(500n, FINAL)] },
      REJECT,
      BEFORE,
      { state: 'ARCHIVED', resolution: 'REJECT', archivedByMerchant: false, interventionType: 'UNDERPAY' },
    ],
    [
      'an accepted late payment is confirmed',
      { state: 'MEM_POOL_FOUND', resolution: 'ACCEPT', payments: [pay(1000n, 1, { late: true })] },
      OBSERVED,
      AFTER,
      { state: 'PAID', resolution: 'ACCEPT' },
    ],
    [
      'an accepted underpayment reaches final confirmations',
      { state: 'PAID', resolution: 'ACCEPT', payments: [pay(500n, FINAL)] },
      OBSERVED,
      BEFORE,
      { state: 'COMPLETED', resolution: 'ACCEPT' },
    ],
  ])('moves on when %s', (_, over, event, now, expected) => {
    const facts = invoice(over);
    const result = step(facts, event, now);
    expect(result).toMatchObject({ ok: true, next: expected });
    expectLegal(facts, result);
  });

  it.each<[string, Partial<InvoiceFacts>, InvoiceEvent, RegExp]>([
    ['archiving with a payment in the mempool', { state: 'MEM_POOL_FOUND', payments: [pay(1000n, 0)] }, ARCHIVE, /MEM_POOL_FOUND has received funds and cannot be archived; resolve it instead/],
    ['archiving a paid invoice', { state: 'PAID', payments: [pay(1000n, 1)] }, ARCHIVE, /PAID has received funds/],
    ['archiving an invoice awaiting intervention', { state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', payments: [pay(1n, 1)] }, ARCHIVE, /received funds/],
    ['archiving a completed invoice', { state: 'COMPLETED', payments: [pay(1000n, FINAL)] }, ARCHIVE, /received funds/],
    ['archiving an open invoice whose payment was just recorded', { payments: [pay(1000n, 0)] }, ARCHIVE, /received funds/],
    ['resolving an unpaid invoice', {}, ACCEPT, /only an unresolved PENDING_INTERVENTION invoice can be resolved; this one is PENDING_PAYMENT/],
    ['resolving a mempool invoice', { state: 'MEM_POOL_FOUND', payments: [pay(1n, 0)] }, REJECT, /this one is MEM_POOL_FOUND/],
    ['resolving a paid invoice', { state: 'PAID', payments: [pay(1000n, 1)] }, ACCEPT, /this one is PAID/],
    ['resolving a completed invoice', { state: 'COMPLETED', payments: [pay(1000n, FINAL)] }, REJECT, /this one is COMPLETED/],
    ['resolving an archived invoice', { state: 'ARCHIVED' }, ACCEPT, /this one is ARCHIVED/],
    ['resolving an intervention twice', { state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT', resolution: 'ACCEPT', payments: [pay(1n, 0, { late: true })] }, REJECT, /only an unresolved/],
  ])('refuses %s', (_, over, event, reason) => {
    expect(step(invoice(over), event, BEFORE)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it.each<[string, Partial<InvoiceFacts>]>([
    ['COMPLETED with more payments coming', { state: 'COMPLETED', payments: [pay(1000n, FINAL), pay(5000n, 0, { sender: OTHER, late: true })] }],
    ['COMPLETED after its payments vanished', { state: 'COMPLETED', payments: [] }],
    ['ARCHIVED by the merchant with a payment', { state: 'ARCHIVED', archivedByMerchant: true, payments: [pay(1000n, FINAL, { late: true })] }],
    ['ARCHIVED by REJECT with a payment', { state: 'ARCHIVED', resolution: 'REJECT', payments: [pay(1000n, FINAL)] }],
  ])('never changes an invoice %s', (_, over) => {
    const facts = invoice(over);
    for (const event of [OBSERVED, TICK, ARCHIVE, ACCEPT, REJECT]) {
      for (const now of [BEFORE, AFTER]) {
        const result = step(facts, event, now);
        if (result.ok) expect(result.next).toEqual(current(facts));
        else expect(result.reason).toMatch(/cannot be archived|can be resolved/);
      }
    }
  });
});

describe('canTransition', () => {
  it.each(INVOICE_STATES)('lets %s stay as it is', (state) => {
    expect(canTransition(state, state)).toBe(true);
  });

  it('lets nothing leave COMPLETED', () => {
    for (const to of INVOICE_STATES) expect(canTransition('COMPLETED', to)).toBe(to === 'COMPLETED');
  });

  it('lets ARCHIVED go only to PENDING_INTERVENTION', () => {
    for (const to of INVOICE_STATES) expect(canTransition('ARCHIVED', to)).toBe(to === 'ARCHIVED' || to === 'PENDING_INTERVENTION');
  });

  it.each(INVOICE_STATES.filter((s) => s !== 'COMPLETED' && s !== 'ARCHIVED'))('lets the open state %s go anywhere', (from) => {
    for (const to of INVOICE_STATES) expect(canTransition(from, to)).toBe(true);
  });
});

describe('isFinal', () => {
  it.each<[Pick<InvoiceFacts, 'state' | 'archivedByMerchant' | 'resolution'>, boolean]>([
    [{ state: 'COMPLETED', archivedByMerchant: false, resolution: null }, true],
    [{ state: 'ARCHIVED', archivedByMerchant: true, resolution: null }, true],
    [{ state: 'ARCHIVED', archivedByMerchant: false, resolution: 'REJECT' }, true],
    [{ state: 'ARCHIVED', archivedByMerchant: false, resolution: null }, false],
    [{ state: 'ARCHIVED', archivedByMerchant: false, resolution: 'ACCEPT' }, false],
    [{ state: 'PAID', archivedByMerchant: false, resolution: 'ACCEPT' }, false],
    [{ state: 'PENDING_INTERVENTION', archivedByMerchant: false, resolution: null }, false],
    [{ state: 'PENDING_PAYMENT', archivedByMerchant: false, resolution: null }, false],
    [{ state: 'MEM_POOL_FOUND', archivedByMerchant: false, resolution: null }, false],
  ])('says %o is final: %s', (facts, final) => {
    expect(isFinal(facts)).toBe(final);
  });
});

const anyPayment = fc.record({
  sender: fc.constantFrom(BUYER, OTHER, BUYER.toUpperCase()),
  amount: fc.constantFrom(1n, 6n, 500n, 994n, 995n, 1000n, 1001n, 2000n),
  confirmations: fc.integer({ min: 0, max: 15 }),
  late: fc.boolean(),
});

const anyFacts: fc.Arbitrary<InvoiceFacts> = fc.record({
  state: fc.constantFrom(...INVOICE_STATES),
  interventionType: fc.constantFrom(null, 'UNDERPAY', 'OVERPAY', 'MULTIPLE_SENDERS', 'LATE_PAYMENT' as const),
  resolution: fc.constantFrom<Resolution | null>(null, 'ACCEPT', 'REJECT'),
  archivedByMerchant: fc.boolean(),
  amount: fc.constantFrom(1n, 1000n, 10n ** 18n),
  overpayTolerance: fc.constantFrom(0n, 10n),
  expiresAt: fc.constant(EXPIRES),
  paidConfirmations: fc.integer({ min: 0, max: 3 }),
  finalConfirmations: fc.integer({ min: 1, max: 12 }),
  payments: fc.array(anyPayment, { maxLength: 4 }),
});

const anyEvent = fc.constantFrom<InvoiceEvent>(OBSERVED, TICK, ARCHIVE, ACCEPT, REJECT);

describe('step over arbitrary facts', () => {
  it('never throws and answers only legal transitions', () => {
    fc.assert(
      fc.property(anyFacts, anyEvent, fc.constantFrom(BEFORE, EXPIRES, AFTER), (facts, event, now) => {
        expectLegal(facts, step(facts, event, now));
      }),
      { numRuns: 5000 },
    );
  });

  it('never changes a final invoice', () => {
    fc.assert(
      fc.property(anyFacts, fc.array(anyEvent, { minLength: 1, maxLength: 10 }), (facts, events) => {
        fc.pre(isFinal(facts));
        for (const event of events) {
          const result = step(facts, event, AFTER);
          if (result.ok) expect(result.next).toEqual(current(facts));
        }
      }),
    );
  });
});

/**
 * Invoices as the engine builds them: payments enter the mempool, get mined,
 * are reorged away and come back; the clock only moves forward; a payment is
 * late when first seen after expiry or while archived, and keeps that flag.
 */
describe('step over the lives of invoices', () => {
  const LATE_WINDOW = 2 * EXPIRES;
  type SimPayment = { sender: string; amount: bigint; block: number | null; late: boolean; removed: boolean };
  type Action =
    | { kind: 'pay'; sender: string; amount: bigint }
    | { kind: 'mine'; blocks: number }
    | { kind: 'reorg'; pick: number }
    | { kind: 'unmine'; pick: number }
    | { kind: 'restore'; pick: number; mined: boolean }
    | { kind: 'wait'; ms: number }
    | { kind: 'archive' }
    | { kind: 'resolve'; action: Resolution };

  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), sender: fc.constantFrom(BUYER, BUYER, OTHER), amount: fc.constantFrom(6n, 500n, 994n, 995n, 1000n, 1011n) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('mine' as const), blocks: fc.integer({ min: 1, max: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reorg' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmine' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat(), mined: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: EXPIRES }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'archive' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), action: fc.constantFrom<Resolution>('ACCEPT', 'REJECT') }) },
  );

  it('keeps every invariant whatever happens to an invoice', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), fc.constantFrom(0n, 10n), fc.integer({ min: 0, max: 2 }), (actions, overpayTolerance, paidConfirmations) => {
        const finalConfirmations = 3;
        let outcome: Outcome = { state: 'PENDING_PAYMENT', interventionType: null, resolution: null, archivedByMerchant: false };
        let now = 0;
        let tip = 100;
        const payments: SimPayment[] = [];
        const confirmations = (p: SimPayment) => (p.block === null ? 0 : tip - p.block + 1);
        const live = () => payments.filter((p) => !p.removed);

        for (const a of actions) {
          let event: InvoiceEvent = OBSERVED;
          if (a.kind === 'pay') {
            if (now > EXPIRES + LATE_WINDOW) continue;
            payments.push({ sender: a.sender, amount: a.amount, block: null, late: now > EXPIRES || outcome.state === 'ARCHIVED', removed: false });
          } else if (a.kind === 'mine') {
            for (const p of live()) if (p.block === null) p.block = tip + 1;
            tip += a.blocks;
          } else if (a.kind === 'reorg' || a.kind === 'unmine') {
            // Only shallow reorgs: what reached final confirmations stays.
            const shallow = live().filter((p) => confirmations(p) < finalConfirmations);
            const p = shallow[a.pick % Math.max(1, shallow.length)];
            if (!p) continue;
            p.block = null;
            if (a.kind === 'reorg') p.removed = true;
          } else if (a.kind === 'restore') {
            const gone = payments.filter((p) => p.removed);
            const p = gone[a.pick % Math.max(1, gone.length)];
            if (!p) continue;
            p.removed = false;
            p.block = a.mined ? tip : null;
          } else if (a.kind === 'wait') {
            now += a.ms;
            event = TICK;
          } else if (a.kind === 'archive') {
            event = ARCHIVE;
          } else {
            event = { type: 'RESOLVE', action: a.action };
          }

          const facts: InvoiceFacts = {
            ...outcome,
            amount: 1000n,
            overpayTolerance,
            expiresAt: EXPIRES,
            paidConfirmations,
            finalConfirmations,
            payments: live().map((p) => ({ sender: p.sender, amount: p.amount, confirmations: confirmations(p), late: p.late })),
          };
          const result = step(facts, event, now);
          expectLegal(facts, result);
          if (event.type === 'OBSERVED' || event.type === 'TICK') expect(result).toMatchObject({ ok: true });
          if (!result.ok) continue;
          const next = result.next;

          const confirmed = facts.payments.filter((p) => p.confirmations >= paidConfirmations).reduce((sum, p) => sum + p.amount, 0n);
          if ((next.state === 'PAID' || next.state === 'COMPLETED') && next.resolution !== 'ACCEPT' && !isFinal(facts)) {
            expect(confirmed >= paidThreshold(facts.amount)).toBe(true);
            expect(confirmed <= facts.amount + overpayTolerance).toBe(true);
            expect(facts.payments.some((p) => p.late)).toBe(false);
          }
          if (next.state === 'ARCHIVED' && !next.archivedByMerchant && next.resolution !== 'REJECT') {
            expect(now).toBeGreaterThanOrEqual(EXPIRES);
            expect(facts.payments).toEqual([]);
          }
          outcome = next;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
