/**
 * The buyer's view of an invoice: what GET /api/checkout/:id answers and
 * every SSE event carries. It holds nothing the buyer may not see — no
 * merchant account, key, idempotency key or external id.
 */
import { getAddress } from 'viem';
import { z } from 'zod';
import type { ChainAdapter } from '../chains/adapter';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import type { InvoicesTable } from '../db/schema';
import { INTERVENTION_TYPES, INVOICE_STATES, LATE_PAYMENT_WINDOW_MS, isFinal, type Resolution } from '../invoices/state-machine';
import { eip681 } from './payment-uri';

export const checkoutViewSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  state: z.enum(INVOICE_STATES),
  interventionType: z.enum(INTERVENTION_TYPES).nullable(),
  isInterventionResolved: z.boolean(),
  /** Decimal strings in the currency's units, exact. */
  amount: z.string(),
  amountPaid: z.string(),
  amountDue: z.string(),
  currency: z.object({ code: z.string(), network: z.string(), decimals: z.number().int(), token: z.string().nullable() }),
  address: z.string(),
  /** EIP-681; asks for amountDue while something is still due. */
  paymentUri: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  confirmations: z.object({ current: z.number().int(), paid: z.number().int(), final: z.number().int() }),
  lastDepositHash: z.string().nullable(),
  description: z.string(),
  returnUrl: z.string().nullable(),
  supportUrl: z.string().nullable(),
  logoUrl: z.string().nullable(),
  /**
   * Nothing can change the invoice any more: the checkout stops following it.
   * False for an invoice ARCHIVED because it expired, while it still takes
   * late payments (LATE_PAYMENT_WINDOW_MS after expiry).
   */
  final: z.boolean(),
});

export type CheckoutView = z.infer<typeof checkoutViewSchema>;

export function checkoutView(row: InvoicesTable, currency: Currency, chain: ChainAdapter): CheckoutView {
  const amount = BigInt(row.amount);
  const paid = BigInt(row.amount_paid);
  const due = amount > paid ? amount - paid : 0n;
  const address = getAddress(row.address);
  const token = chain.tokenContract(currency);
  const state = row.state as CheckoutView['state'];
  return {
    id: row.id,
    version: row.version,
    state,
    interventionType: row.intervention_type as CheckoutView['interventionType'],
    isInterventionResolved: row.resolution !== null,
    amount: formatUnits(amount, currency.decimals),
    amountPaid: formatUnits(paid, currency.decimals),
    amountDue: formatUnits(due, currency.decimals),
    currency: { code: currency.code, network: currency.network, decimals: currency.decimals, token: token ?? null },
    address,
    paymentUri: eip681({ address, chainId: chain.chainId(currency), units: due > 0n ? due : amount, token }),
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    confirmations: { current: row.confirmations, paid: row.paid_confirmations, final: row.final_confirmations },
    lastDepositHash: row.last_deposit_hash,
    description: row.description,
    returnUrl: row.return_url,
    supportUrl: row.support_url,
    logoUrl: row.logo_url,
    // The clock's part (the late window closing) is applied when the version is read: see viewAsOf.
    final: isFinal({ state, archivedByMerchant: row.archived_by_merchant === 1, resolution: row.resolution as Resolution | null }),
  };
}

/**
 * A stored version as of `now`. The late-payment window closing changes no
 * row, so no version records it: whoever reads a version applies it.
 * Returns `view` itself when nothing changed.
 */
export function viewAsOf(view: CheckoutView, now: number): CheckoutView {
  // A version stored before views had `final` (a database from an earlier Payframe): the rule of then, both end states end it.
  if ((view as Partial<CheckoutView>).final === undefined) return { ...view, final: view.state === 'COMPLETED' || view.state === 'ARCHIVED' };
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
