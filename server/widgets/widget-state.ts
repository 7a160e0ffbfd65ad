/**
 * A widget's state, derived from its invoices and the clock (nothing stores
 * it, so it cannot drift from them): COMPLETED once one of its invoices is
 * COMPLETED; ARCHIVED once it has expired with none paid and none still
 * being paid; IN_PROGRESS otherwise (Calypso's three widget states).
 */
import type { InvoiceState } from '../../contract/enums';
import type { WidgetState } from '../../contract/widget';

/** States in which money has arrived or is arriving and the outcome is not settled yet. */
const BEING_PAID: readonly InvoiceState[] = ['MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION'];

export function widgetState(invoiceStates: readonly InvoiceState[], expiresAt: number, now: number): WidgetState {
  if (invoiceStates.includes('COMPLETED')) return 'COMPLETED';
  if (now >= expiresAt && !invoiceStates.some((s) => BEING_PAID.includes(s))) return 'ARCHIVED';
  return 'IN_PROGRESS';
}
