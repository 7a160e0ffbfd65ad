/**
 * Migrations, applied in order at start. Each runs once; the applied ones
 * are recorded in `kysely_migration`. STRICT tables make SQLite refuse a
 * value of the wrong type instead of storing it.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_core': {
    async up(db: Kysely<unknown>) {
      for (const statement of CORE) await sql.raw(statement).execute(db);
    },
  },
  '0002_evm': {
    async up(db: Kysely<unknown>) {
      for (const statement of EVM) await sql.raw(statement).execute(db);
    },
  },
  '0003_webhooks': {
    async up(db: Kysely<unknown>) {
      for (const statement of WEBHOOKS) await sql.raw(statement).execute(db);
    },
  },
  '0004_contract': {
    async up(db: Kysely<unknown>) {
      for (const statement of CONTRACT) await sql.raw(statement).execute(db);
    },
  },
};

const CORE = [
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
];

const EVM = [
  // The merchant's extended public keys, one per chain family; invoice addresses derive from them.
  `CREATE TABLE merchant_xpubs (
    account TEXT NOT NULL REFERENCES merchants(account),
    family TEXT NOT NULL,
    xpub TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, family)
  ) STRICT`,
  // The recent blocks a chain adapter has scanned: its checkpoint, and the hashes a reorg is detected against.
  `CREATE TABLE chain_blocks (
    chain TEXT NOT NULL,
    number INTEGER NOT NULL,
    hash TEXT NOT NULL,
    parent_hash TEXT NOT NULL,
    PRIMARY KEY (chain, number)
  ) STRICT`,
  `CREATE INDEX payments_by_chain_block ON payments (chain, block_number)`,
];

// Webhooks (server/webhooks/): subscriptions, the outbox of events and
// deliveries written in the invoice's own transaction, and the attempt log.
const WEBHOOKS = [
  `CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES merchants(account),
    request_id TEXT NOT NULL,
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    secret_key TEXT NOT NULL,
    previous_secret_key TEXT,
    previous_secret_until INTEGER,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since INTEGER,
    blocked_at INTEGER,
    UNIQUE (account, request_id)
  ) STRICT`,
  `CREATE TABLE webhook_events (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    account TEXT NOT NULL,
    event_type TEXT NOT NULL,
    level TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES webhook_events(id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
    invoice_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    round_attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'PENDING'`,
  `CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (subscription_id, invoice_id, id) WHERE status = 'PENDING'`,
  `CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id)`,
  `CREATE INDEX webhook_deliveries_by_invoice ON webhook_deliveries (invoice_id, id)`,
  `CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    response_prefix TEXT
  ) STRICT`,
  `CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id)`,
  `CREATE INDEX webhook_attempts_by_subscription ON webhook_attempts (subscription_id, started_at)`,
  // The credited amount last seen per invoice: INVOICE_FUNDS_RECEIVED_FOR_INVOICE fires when it rises.
  `CREATE TABLE webhook_invoice_marks (
    invoice_id TEXT PRIMARY KEY REFERENCES invoices(id),
    credited TEXT NOT NULL
  ) STRICT`,
];

// The merchant contract (contract/): accepted signatures for replay protection, and
// which payments a webhook has already reported as received.
const CONTRACT = [
  `CREATE TABLE signed_requests (
    sign TEXT PRIMARY KEY,
    route TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID`,
  `CREATE INDEX signed_requests_by_expiry ON signed_requests (expires_at)`,
  // 1 once INVOICE_FUNDS_RECEIVED_FOR_INVOICE has reported the payment (it reached paidConfirmations); 0 again if a reorg takes that back.
  `ALTER TABLE payments ADD COLUMN credited INTEGER NOT NULL DEFAULT 0`,
  `UPDATE payments SET credited = 1 WHERE removed = 0 AND block_number IS NOT NULL AND EXISTS (
    SELECT 1 FROM invoices i JOIN chain_tips t ON t.chain = i.chain
    WHERE i.id = payments.invoice_id AND t.height - payments.block_number + 1 >= i.paid_confirmations
  )`,
  `DROP TABLE webhook_invoice_marks`,
];

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
