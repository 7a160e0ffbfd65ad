/**
 * Payment widgets: the merchant's list of coins and a fiat price; each coin a
 * buyer picks becomes a SINGLE_FIAT invoice of the widget, and the quote the
 * picker showed for each coin is kept so the invoice gets the rate shown.
 */
import { statements } from './statements';

export const migration = statements([
  `CREATE TABLE widgets (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES merchants(account),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    type TEXT NOT NULL CONSTRAINT widgets_type CHECK (type IN ('SINGLE_FIAT')),
    crypto_currencies TEXT NOT NULL,
    fiat_amount TEXT NOT NULL,
    fiat_currency TEXT NOT NULL,
    description TEXT NOT NULL,
    external_id TEXT,
    return_url TEXT,
    support_url TEXT,
    logo_url TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (account, idempotency_key)
  ) STRICT`,
  `ALTER TABLE invoices ADD COLUMN widget_id TEXT REFERENCES widgets(id)`,
  `CREATE INDEX invoices_by_widget ON invoices (widget_id) WHERE widget_id IS NOT NULL`,
  // The quote the picker shows for each coin, until it expires: choosing the coin in time creates its invoice at it.
  `CREATE TABLE widget_quotes (
    widget_id TEXT NOT NULL REFERENCES widgets(id),
    currency TEXT NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (widget_id, currency)
  ) STRICT`,
]);
