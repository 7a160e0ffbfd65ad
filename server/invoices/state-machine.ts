/**
 * The invoice state machine: pure, no I/O. The engine gathers the facts
 * (the invoice's live payments, its decisions, the clock) and asks `step`
 * what the invoice becomes after an event. Every answer is either a legal
 * transition or a named refusal, so an illegal transition cannot happen.
 */
import type { CalypsoInterventionType, InterventionType, InvoiceState, Resolution } from '../../contract/enums';
import { paidThreshold } from '../money/amount';
import { countSenders } from './senders';


export const DAY_MS = 24 * 60 * 60 * 1000;
/** Payments this long after expiry are still detected (and go to the merchant to decide). */
export const LATE_PAYMENT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The type as a Calypso client may see it: ours have no Calypso name, so
 * they are left out there (the merchant reads them from `interventionReason`)
 * rather than sent as a value a client's enum would refuse.
 */
export function calypsoInterventionType(type: InterventionType | null): CalypsoInterventionType | undefined {
  return type === 'UNDERPAY' || type === 'OVERPAY' ? type : undefined;
}

export interface PaymentFact {
  /** Who paid, as senders.ts reads it; empty when that cannot be determined. */
  sender: string;
  amount: bigint;
  /** 0 while in the mempool. */
  confirmations: number;
  /** First seen after the invoice expired (or while it was archived as expired). */
  late: boolean;
}

export interface InvoiceFacts {
  state: InvoiceState;
  interventionType: InterventionType | null;
  resolution: Resolution | null;
  archivedByMerchant: boolean;
  amount: bigint;
  overpayTolerance: bigint;
  expiresAt: number;
  paidConfirmations: number;
  finalConfirmations: number;
  /** Payments to the invoice address that no reorg has removed. */
  payments: readonly PaymentFact[];
}

export type InvoiceEvent =
  | { type: 'OBSERVED' }
  | { type: 'TICK' }
  | { type: 'ARCHIVE' }
  | { type: 'RESOLVE'; action: Resolution };

export interface Outcome {
  state: InvoiceState;
  interventionType: InterventionType | null;
  resolution: Resolution | null;
  archivedByMerchant: boolean;
}

export type StepResult = { ok: true; next: Outcome } | { ok: false; reason: string };

const ALLOWED: Record<InvoiceState, readonly InvoiceState[]> = {
  PENDING_PAYMENT: ['MEM_POOL_FOUND', 'PAID', 'COMPLETED', 'PENDING_INTERVENTION', 'ARCHIVED'],
  MEM_POOL_FOUND: ['PENDING_PAYMENT', 'PAID', 'COMPLETED', 'PENDING_INTERVENTION', 'ARCHIVED'],
  PAID: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'COMPLETED', 'PENDING_INTERVENTION', 'ARCHIVED'],
  PENDING_INTERVENTION: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED', 'ARCHIVED'],
  // An invoice archived because it expired unpaid still takes a late payment for 24 h.
  ARCHIVED: ['PENDING_INTERVENTION'],
  COMPLETED: [],
};

export function canTransition(from: InvoiceState, to: InvoiceState): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** True when nothing can change the invoice any more. */
export function isFinal(f: Pick<InvoiceFacts, 'state' | 'archivedByMerchant' | 'resolution'>): boolean {
  return f.state === 'COMPLETED' || (f.state === 'ARCHIVED' && (f.archivedByMerchant || f.resolution === 'REJECT'));
}

export function step(facts: InvoiceFacts, event: InvoiceEvent, now: number): StepResult {
  let { resolution, archivedByMerchant } = facts;
  if (event.type === 'ARCHIVE') {
    if (facts.state === 'ARCHIVED') return { ok: true, next: current(facts) };
    if (facts.state !== 'PENDING_PAYMENT' || facts.payments.length > 0) {
      return { ok: false, reason: `an invoice in state ${facts.state} has received funds and cannot be archived; resolve it instead` };
    }
    archivedByMerchant = true;
  }
  if (event.type === 'RESOLVE') {
    if (facts.state !== 'PENDING_INTERVENTION' || facts.resolution !== null) {
      return { ok: false, reason: `only an unresolved PENDING_INTERVENTION invoice can be resolved; this one is ${facts.state}` };
    }
    resolution = event.action;
  }
  if (isFinal(facts)) return { ok: true, next: current(facts) };

  const next = derive({ ...facts, resolution, archivedByMerchant }, now);
  if (!canTransition(facts.state, next.state)) {
    // Unreachable by construction (state-machine.test.ts walks every state × event × facts).
    return { ok: false, reason: `illegal transition ${facts.state} → ${next.state}` };
  }
  return { ok: true, next };
}

function current(f: InvoiceFacts): Outcome {
  return { state: f.state, interventionType: f.interventionType, resolution: f.resolution, archivedByMerchant: f.archivedByMerchant };
}

/**
 * The outcome `state` (with `interventionType`) for facts `f`. A resolved intervention keeps its type, as
 * Calypso reports it: the merchant decided on *that*. (At module level: a closure made in derive, run through
 * tsx, also got its name set on every change of every invoice.)
 */
function outcome(f: InvoiceFacts, state: InvoiceState, interventionType: InterventionType | null = null): Outcome {
  return {
    resolution: f.resolution,
    archivedByMerchant: f.archivedByMerchant,
    state,
    interventionType: f.resolution !== null ? (f.interventionType ?? interventionType) : interventionType,
  };
}

function derive(f: InvoiceFacts, now: number): Outcome {

  if (f.archivedByMerchant || f.resolution === 'REJECT') return outcome(f, 'ARCHIVED');
  // Archived as expired, the invoice is closed: any payment it holds now came after expiry, even one
  // first seen before that a reorg took away and brought back (not flagged late, perhaps accepted once).
  if (f.state === 'ARCHIVED' && f.payments.length > 0) return outcome(f, 'PENDING_INTERVENTION', 'LATE_PAYMENT');
  if (f.payments.length === 0) return outcome(f, now >= f.expiresAt ? 'ARCHIVED' : 'PENDING_PAYMENT');

  let confirmed = 0n;
  let pending = false;
  let allFinal = true;
  for (const p of f.payments) {
    if (p.confirmations >= f.paidConfirmations) confirmed += p.amount;
    else pending = true;
    if (p.confirmations < f.finalConfirmations) allFinal = false;
  }
  const paidEnough = confirmed >= paidThreshold(f.amount);

  if (f.resolution !== 'ACCEPT') {
    const intervention: InterventionType | null = f.payments.some((p) => p.late)
      ? 'LATE_PAYMENT'
      : countSenders(f.payments.map((p) => p.sender.toLowerCase())) > 1
        ? 'MULTIPLE_SENDERS'
        : confirmed > f.amount + f.overpayTolerance
          ? 'OVERPAY'
          : !pending && !paidEnough
            ? 'UNDERPAY'
            : null;
    if (intervention) return outcome(f, 'PENDING_INTERVENTION', intervention);
  }
  if (paidEnough || (f.resolution === 'ACCEPT' && !pending)) return outcome(f, allFinal ? 'COMPLETED' : 'PAID');
  return outcome(f, 'MEM_POOL_FOUND');
}
