import { describe, expect, it } from 'vitest';
import { INTERVENTION_TYPES, INVOICE_STATES, WEBHOOK_EVENT_TYPES, type InterventionType, type InvoiceState } from '../../contract/enums';
import { EVENT_LEVEL, eventTypesFor, type InvoiceSnapshot } from './events';

const snap = (state: InvoiceState, over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot => ({
  state,
  interventionType: state === 'PENDING_INTERVENTION' ? 'UNDERPAY' : null,
  resolution: null,
  archivedByMerchant: false,
  credited: 0n,
  ...over,
});

describe('eventTypesFor', () => {
  it('emits INVOICE_CREATE_INVOICE for a new invoice', () => {
    expect(eventTypesFor(null, snap('PENDING_PAYMENT'))).toEqual(['INVOICE_CREATE_INVOICE']);
  });

  it.each<[InvoiceState, InvoiceState, string[]]>([
    ['PENDING_PAYMENT', 'MEM_POOL_FOUND', ['INVOICE_MEMPOOL_FOUND']],
    ['MEM_POOL_FOUND', 'PAID', ['INVOICE_PAID']],
    ['PAID', 'COMPLETED', ['INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED']],
    ['MEM_POOL_FOUND', 'COMPLETED', ['INVOICE_PAID', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED']],
    ['PENDING_PAYMENT', 'COMPLETED', ['INVOICE_PAID', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED']],
    ['PENDING_INTERVENTION', 'COMPLETED', ['INVOICE_PAID', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED']],
    ['MEM_POOL_FOUND', 'PENDING_INTERVENTION', ['INVOICE_PENDING_INTERVENTION']],
    ['ARCHIVED', 'PENDING_INTERVENTION', ['INVOICE_PENDING_INTERVENTION']],
    ['PENDING_PAYMENT', 'ARCHIVED', ['INVOICE_EXPIRED']],
    ['PAID', 'MEM_POOL_FOUND', ['INVOICE_PAYMENT_REVERSED', 'INVOICE_MEMPOOL_FOUND']],
    ['PAID', 'PENDING_PAYMENT', ['INVOICE_PAYMENT_REVERSED']],
    ['MEM_POOL_FOUND', 'PENDING_PAYMENT', []],
  ])('maps %s → %s to %j when the credited amount does not change', (from, to, events) => {
    expect(eventTypesFor(snap(from), snap(to))).toEqual(events);
  });

  it('emits INVOICE_ARCHIVED for an archive by the merchant and for a rejected intervention', () => {
    expect(eventTypesFor(snap('PENDING_PAYMENT'), snap('ARCHIVED', { archivedByMerchant: true }))).toEqual(['INVOICE_ARCHIVED']);
    expect(eventTypesFor(snap('PENDING_INTERVENTION'), snap('ARCHIVED', { resolution: 'REJECT' }))).toEqual(['INVOICE_ARCHIVED']);
  });

  it('emits INVOICE_FUNDS_RECEIVED_FOR_INVOICE before the state event when the credited amount rises', () => {
    expect(eventTypesFor(snap('MEM_POOL_FOUND'), snap('PAID', { credited: 10n }))).toEqual(['INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PAID']);
    expect(eventTypesFor(snap('MEM_POOL_FOUND'), snap('PENDING_INTERVENTION', { credited: 6n }))).toEqual([
      'INVOICE_FUNDS_RECEIVED_FOR_INVOICE',
      'INVOICE_PENDING_INTERVENTION',
    ]);
  });

  it('emits INVOICE_FUNDS_RECEIVED_FOR_INVOICE alone when a payment is credited and the state stays', () => {
    const before = snap('PENDING_INTERVENTION', { interventionType: 'OVERPAY', credited: 5n });
    expect(eventTypesFor(before, { ...before, credited: 9n })).toEqual(['INVOICE_FUNDS_RECEIVED_FOR_INVOICE']);
  });

  it('emits nothing when the credited amount falls (a reorg) and the state stays', () => {
    const before = snap('PAID', { credited: 10n });
    expect(eventTypesFor(before, { ...before, credited: 0n })).toEqual([]);
  });

  it('emits INVOICE_PENDING_INTERVENTION again when the intervention type changes', () => {
    expect(eventTypesFor(snap('PENDING_INTERVENTION'), snap('PENDING_INTERVENTION', { interventionType: 'MULTIPLE_SENDERS' }))).toEqual([
      'INVOICE_PENDING_INTERVENTION',
    ]);
  });

  it('emits nothing when neither the state, the intervention nor the credited amount changes', () => {
    for (const state of INVOICE_STATES) expect(eventTypesFor(snap(state), snap(state))).toEqual([]);
  });

  // Every (from, to, intervention, archive cause, credited) combination: the answer is
  // well-formed — known types, no duplicates, the state event last and matching `to`,
  // INVOICE_PAYMENT_REVERSED exactly when PAID is left for an unpaid state.
  it('answers every combination with known types, without duplicates, and with the event of the new state', () => {
    const interventions: (InterventionType | null)[] = [null, ...INTERVENTION_TYPES];
    const stateEvent: Record<InvoiceState, string[]> = {
      PENDING_PAYMENT: [],
      MEM_POOL_FOUND: ['INVOICE_MEMPOOL_FOUND'],
      PAID: ['INVOICE_PAID'],
      PENDING_INTERVENTION: ['INVOICE_PENDING_INTERVENTION'],
      COMPLETED: ['INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED'],
      ARCHIVED: ['INVOICE_EXPIRED', 'INVOICE_ARCHIVED'],
    };
    let cases = 0;
    for (const from of INVOICE_STATES)
      for (const to of INVOICE_STATES)
        for (const fromType of interventions)
          for (const toType of interventions)
            for (const archivedByMerchant of [false, true])
              for (const credited of [0n, 1n]) {
                const events = eventTypesFor(
                  snap(from, { interventionType: fromType }),
                  snap(to, { interventionType: toType, archivedByMerchant, credited }),
                );
                cases++;
                expect(new Set(events).size).toBe(events.length);
                for (const e of events) expect(WEBHOOK_EVENT_TYPES).toContain(e);
                expect(events.includes('INVOICE_FUNDS_RECEIVED_FOR_INVOICE')).toBe(credited === 1n);
                expect(events.includes('INVOICE_PAYMENT_REVERSED')).toBe(from === 'PAID' && (to === 'MEM_POOL_FOUND' || to === 'PENDING_PAYMENT'));
                const changed = from !== to || fromType !== toType;
                const last = events.filter((e) => e !== 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE' && e !== 'INVOICE_PAYMENT_REVERSED').at(-1);
                if (!changed || to === 'PENDING_PAYMENT') expect(last).toBeUndefined();
                else expect(stateEvent[to]).toContain(last);
              }
    expect(cases).toBe(6 * 6 * 5 * 5 * 2 * 2);
  });

  it('gives every event type a Calypso level', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(['SUCCESS', 'INFO', 'WARNING']).toContain(EVENT_LEVEL[type]);
  });
});
