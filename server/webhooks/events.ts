/**
 * Which webhook events an invoice change emits: pure, no I/O. The outbox
 * hands it the invoice before and after one engine transaction; the answer
 * is the event types in the order a merchant should see them.
 *
 * Calypso's names, with two of ours for what Calypso has no event for:
 * INVOICE_ARCHIVED and INVOICE_PAYMENT_REVERSED.
 */
import type { InterventionType, InvoiceState, Resolution, WebhookEventType, WebhookLevel } from '../../contract/enums';

/** Calypso's `level`: SUCCESS for money that arrived, WARNING for what needs the merchant, INFO otherwise. */
export const EVENT_LEVEL: Record<WebhookEventType, WebhookLevel> = {
  INVOICE_CREATE_INVOICE: 'SUCCESS',
  INVOICE_MEMPOOL_FOUND: 'INFO',
  INVOICE_FUNDS_RECEIVED_FOR_INVOICE: 'INFO',
  INVOICE_PAID: 'SUCCESS',
  INVOICE_PENDING_INTERVENTION: 'WARNING',
  INVOICE_EXPIRED: 'WARNING',
  INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED: 'SUCCESS',
  INVOICE_ARCHIVED: 'INFO',
  INVOICE_PAYMENT_REVERSED: 'WARNING',
};

export interface InvoiceSnapshot {
  state: InvoiceState;
  interventionType: InterventionType | null;
  resolution: Resolution | null;
  archivedByMerchant: boolean;
  /** Base units of the payments with at least `paidConfirmations` confirmations. */
  credited: bigint;
}

/**
 * The events of one change, `before` null for a new invoice:
 * 1. INVOICE_FUNDS_RECEIVED_FOR_INVOICE when the credited amount rises
 *    (first: the funds arrive, then the state moves because of them);
 * 2. INVOICE_PAYMENT_REVERSED when a reorg takes a PAID invoice back to
 *    MEM_POOL_FOUND or PENDING_PAYMENT: a merchant who fulfilled on
 *    INVOICE_PAID must learn that the payment is gone;
 * 3. then one event for the new state, when the state or the intervention
 *    type changed. An invoice that reaches COMPLETED without passing
 *    through PAID (its payments reached the final depth in one step, or an
 *    accepted intervention) also gets INVOICE_PAID first, so a merchant who
 *    fulfils on INVOICE_PAID never misses one. PENDING_PAYMENT has no state
 *    event of its own.
 */
export function eventTypesFor(before: InvoiceSnapshot | null, after: InvoiceSnapshot): WebhookEventType[] {
  if (before === null) return ['INVOICE_CREATE_INVOICE'];
  const events: WebhookEventType[] = [];
  if (after.credited > before.credited) events.push('INVOICE_FUNDS_RECEIVED_FOR_INVOICE');
  if (after.state === before.state && after.interventionType === before.interventionType) return events;
  if (before.state === 'PAID' && (after.state === 'MEM_POOL_FOUND' || after.state === 'PENDING_PAYMENT')) events.push('INVOICE_PAYMENT_REVERSED');
  switch (after.state) {
    case 'PENDING_PAYMENT':
      break;
    case 'MEM_POOL_FOUND':
      events.push('INVOICE_MEMPOOL_FOUND');
      break;
    case 'PAID':
      events.push('INVOICE_PAID');
      break;
    case 'PENDING_INTERVENTION':
      events.push('INVOICE_PENDING_INTERVENTION');
      break;
    case 'COMPLETED':
      if (before.state !== 'PAID') events.push('INVOICE_PAID');
      events.push('INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED');
      break;
    case 'ARCHIVED':
      events.push(after.archivedByMerchant || after.resolution === 'REJECT' ? 'INVOICE_ARCHIVED' : 'INVOICE_EXPIRED');
      break;
  }
  return events;
}
