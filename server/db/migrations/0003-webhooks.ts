/** Webhooks (server/webhooks/): subscriptions, the outbox of events and deliveries written in the invoice's own transaction, and the attempt log. */
import { statements } from './statements';

export const migration = statements([
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
]);
