/**
 * Builds the buyer's view of an invoice (its shape: contract/checkout.ts),
 * reads a stored one back, and applies the clock to it.
 */
import { z } from 'zod';
import { checkoutView as checkoutViewSchema, type CheckoutView } from '../../contract/checkout';
import type { ChainAdapter } from '../chains/adapter';
import type { InvoicesTable } from '../db/schema';
import { LATE_PAYMENT_WINDOW_MS, isFinal } from '../invoices/state-machine';
import { formatUnits } from '../money/amount';
import { addressForDisplay } from './payment-uri';
import type { Currency } from '../money/currencies';

export function checkoutView(row: InvoicesTable, currency: Currency, chain: ChainAdapter): CheckoutView {
  const amount = BigInt(row.amount);
  const paid = BigInt(row.amount_paid);
  const due = amount > paid ? amount - paid : 0n;
  const token = chain.tokenContract(currency);
  const request = due > 0n ? chain.paymentRequest(row.address, currency, due) : null;
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    interventionType: row.intervention_type,
    isInterventionResolved: row.resolution !== null,
    amount: formatUnits(amount, currency.decimals),
    amountPaid: formatUnits(paid, currency.decimals),
    amountDue: formatUnits(due, currency.decimals),
    currency: { code: currency.code, network: currency.network, decimals: currency.decimals, token: token ?? null },
    address: addressForDisplay(row.address),
    paymentUri: request?.uri ?? null,
    walletTx: request?.walletTx ?? null,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    confirmations: { current: row.confirmations, paid: row.paid_confirmations, final: row.final_confirmations },
    lastDepositHash: row.last_deposit_hash,
    // The row changes last when it completes: nothing changes a COMPLETED invoice.
    ...(row.state === 'COMPLETED' ? { completedAt: new Date(row.updated_at).toISOString() } : {}),
    description: row.description,
    returnUrl: row.return_url,
    supportUrl: row.support_url,
    logoUrl: row.logo_url,
    ...(row.fiat_amount !== null && row.fiat_currency !== null && row.rate !== null && row.quote_expires_at !== null
      ? { fiat: { amount: row.fiat_amount, currency: row.fiat_currency, rate: row.rate, quoteExpiresAt: new Date(row.quote_expires_at).toISOString() } }
      : {}),
    // The clock's part (the late window closing) is applied when the version is read: see viewAsOf.
    final: isFinal({ state: row.state, archivedByMerchant: row.archived_by_merchant === 1, resolution: row.resolution }),
  };
}

/** A version stored before views had `final` (a database from an earlier Payframe): valid but for that. */
const storedBeforeFinal = checkoutViewSchema.omit({ final: true });

/**
 * The view a version stored (`invoice_versions.view`), checked against the
 * contract. A version from before `final` gets the rule of then: both end
 * states end the checkout. Anything else that is not a view throws: a
 * corrupt row is the operator's problem to see in the log (a 500), never a
 * wrong page for the buyer.
 */
export function readStoredView(json: string): CheckoutView {
  return readStored(json).view;
}

/** readStoredView, and whether the stored text is a view of the current contract (one that may be sent as stored). */
export function readStored(json: string): { view: CheckoutView; current: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('a stored checkout view is not JSON');
  }
  const current = checkoutViewSchema.safeParse(parsed);
  if (current.success) return { view: current.data, current: true };
  const older = storedBeforeFinal.safeParse(parsed);
  if (older.success && (parsed as { final?: unknown }).final === undefined) {
    return { view: { ...older.data, final: older.data.state === 'COMPLETED' || older.data.state === 'ARCHIVED' }, current: false };
  }
  throw new Error(`a stored checkout view does not match the contract: ${z.prettifyError(current.error)}`);
}

/**
 * A stored version as of `now`. The late-payment window closing changes no
 * row, so no version records it: whoever reads a version applies it.
 * Returns `view` itself when nothing changed.
 */
export function viewAsOf(view: CheckoutView, now: number): CheckoutView {
  const end = lateWindowEnd(view);
  return end !== null && now > end ? { ...view, final: true } : view;
}

/**
 * When a view that is not final becomes final by the clock alone (an invoice
 * ARCHIVED as expired: nothing but the late window holds it open), or null.
 * After that instant the engine drops payments to it, as it does here: `now > end`.
 */
export function lateWindowEnd(view: CheckoutView): number | null {
  return !view.final && view.state === 'ARCHIVED' ? Date.parse(view.expiresAt) + LATE_PAYMENT_WINDOW_MS : null;
}

/**
 * lateWindowEnd of an invoice's latest version, from the invoice row alone:
 * the row holds what checkoutView made `final` and `expiresAt` of, so a
 * reader (the checkout's ETag) decides without reading or parsing the view.
 */
export function rowLateWindowEnd(row: Pick<InvoicesTable, 'state' | 'archived_by_merchant' | 'resolution' | 'expires_at'>): number | null {
  const final = isFinal({ state: row.state, archivedByMerchant: row.archived_by_merchant === 1, resolution: row.resolution });
  return !final && row.state === 'ARCHIVED' ? row.expires_at + LATE_PAYMENT_WINDOW_MS : null;
}
