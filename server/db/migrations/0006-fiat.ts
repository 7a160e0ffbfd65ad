/**
 * Fiat-priced invoices (SINGLE_FIAT): the invoice's type, its price in fiat
 * and the quote in force, and every quote it had (a stored record of each
 * rate an amount was computed from).
 */
import { statements } from './statements';
import { checkOneOf } from '../checks';

export const migration = statements([
  `ALTER TABLE invoices ADD COLUMN type TEXT NOT NULL DEFAULT 'SINGLE' ${checkOneOf('invoices', 'type')}`,
  // The price as decimal text in the fiat currency ("24.5"), and its ISO 4217 code.
  `ALTER TABLE invoices ADD COLUMN fiat_amount TEXT`,
  `ALTER TABLE invoices ADD COLUMN fiat_currency TEXT`,
  // The quote the amount comes from: the newest row of quotes for the invoice, repeated here for the DTO and the re-quote sweep.
  `ALTER TABLE invoices ADD COLUMN rate TEXT`,
  `ALTER TABLE invoices ADD COLUMN rate_source TEXT`,
  `ALTER TABLE invoices ADD COLUMN quote_expires_at INTEGER`,
  `ALTER TABLE invoices ADD COLUMN last_fiat_updated INTEGER`,
  `CREATE INDEX invoices_by_quote_expiry ON invoices (quote_expires_at) WHERE quote_expires_at IS NOT NULL`,
  `CREATE TABLE quotes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    amount TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX quotes_by_invoice ON quotes (invoice_id, id)`,
]);
