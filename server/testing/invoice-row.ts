/**
 * An invoices row as the engine writes it for a new invoice, for tests and benchmarks that seed or render rows
 * without going through the API: the caller names what identifies it, everything else is a fresh, unpaid
 * invoice priced in crypto (1 confirmation to PAID, 3 to final, a day to pay).
 */
import type { InvoicesTable } from '../db/schema';
import { CRYPTO_PRICED } from '../invoices/create-invoice';
import { DAY_MS } from '../invoices/state-machine';

type Identity = Pick<InvoicesTable, 'id' | 'account' | 'idempotency_key' | 'currency' | 'network' | 'chain' | 'address' | 'address_index' | 'amount' | 'created_at'>;

export function newInvoiceRow(identity: Identity & Partial<InvoicesTable>): InvoicesTable {
  return {
    request_hash: 'seeded',
    amount_paid: '0',
    overpay_tolerance: '0',
    state: 'PENDING_PAYMENT',
    intervention_type: null,
    resolution: null,
    archived_by_merchant: 0,
    confirmations: 0,
    paid_confirmations: 1,
    final_confirmations: 3,
    last_deposit_hash: null,
    description: '',
    external_id: null,
    return_url: null,
    support_url: null,
    logo_url: null,
    locale: null,
    expires_at: identity.created_at + DAY_MS,
    updated_at: identity.created_at,
    version: 1,
    ...CRYPTO_PRICED,
    ...identity,
  };
}
