/** The first schema: merchants and their API keys, invoices, the payments chains report, chain tips, the versions the checkout replays, the status history, address counters. */
import { statements } from './statements';

export const migration = statements([
  `CREATE TABLE merchants (
    account TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    origins TEXT NOT NULL DEFAULT '[]',
    overpay_tolerance_bps INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE api_keys (
    key TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES merchants(account),
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES merchants(account),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    currency TEXT NOT NULL,
    network TEXT NOT NULL,
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    address_index INTEGER NOT NULL,
    amount TEXT NOT NULL,
    amount_paid TEXT NOT NULL DEFAULT '0',
    overpay_tolerance TEXT NOT NULL DEFAULT '0',
    state TEXT NOT NULL,
    intervention_type TEXT,
    resolution TEXT,
    archived_by_merchant INTEGER NOT NULL DEFAULT 0,
    confirmations INTEGER NOT NULL DEFAULT 0,
    paid_confirmations INTEGER NOT NULL,
    final_confirmations INTEGER NOT NULL,
    last_deposit_hash TEXT,
    description TEXT NOT NULL,
    external_id TEXT,
    return_url TEXT,
    support_url TEXT,
    logo_url TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (account, idempotency_key),
    UNIQUE (chain, address)
  ) STRICT`,
  `CREATE INDEX invoices_by_state_expiry ON invoices (state, expires_at)`,
  `CREATE INDEX invoices_by_chain_state ON invoices (chain, state)`,
  `CREATE INDEX invoices_by_account ON invoices (account, created_at, id)`,
  `CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    tx_hash TEXT NOT NULL,
    log_index INTEGER NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    currency TEXT NOT NULL,
    sender TEXT NOT NULL,
    amount TEXT NOT NULL,
    block_number INTEGER,
    block_hash TEXT,
    seen_at INTEGER NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (chain, tx_hash, log_index)
  ) STRICT`,
  `CREATE INDEX payments_by_invoice ON payments (invoice_id)`,
  `CREATE TABLE chain_tips (
    chain TEXT PRIMARY KEY,
    height INTEGER NOT NULL,
    hash TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE invoice_versions (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    view TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, version)
  ) STRICT`,
  `CREATE TABLE status_history (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    intervention_type TEXT,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX status_history_by_invoice ON status_history (invoice_id, id)`,
  `CREATE TABLE address_counters (
    scope TEXT PRIMARY KEY,
    next_index INTEGER NOT NULL
  ) STRICT`,
]);
