/**
 * Each state-like column takes only the values of its list in
 * contract/enums.ts (db/checks.ts), so a wrong state is refused by the
 * database itself, whatever writes it. SQLite cannot add a CHECK to a
 * table: the five tables are rebuilt, their rows, indexes and AUTOINCREMENT
 * counters kept (db/rebuild-tables.ts). The definitions are 0001's and
 * 0003's with the constraints added. PostgreSQL adds a CHECK in place.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { checkOneOf } from '../checks';
import { onPostgres } from '../dialect';
import { rebuildTables, type TableRebuild } from '../rebuild-tables';

const TABLES: TableRebuild[] = [
  {
    name: 'invoices',
    create: (name) => `CREATE TABLE ${name} (
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
    state TEXT NOT NULL ${checkOneOf('invoices', 'state')},
    intervention_type TEXT ${checkOneOf('invoices', 'intervention_type')},
    resolution TEXT ${checkOneOf('invoices', 'resolution')},
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
  },
  {
    name: 'invoice_versions',
    create: (name) => `CREATE TABLE ${name} (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    version INTEGER NOT NULL,
    state TEXT NOT NULL ${checkOneOf('invoice_versions', 'state')},
    view TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, version)
  ) STRICT`,
  },
  {
    name: 'status_history',
    create: (name) => `CREATE TABLE ${name} (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    from_state TEXT ${checkOneOf('status_history', 'from_state')},
    to_state TEXT NOT NULL ${checkOneOf('status_history', 'to_state')},
    intervention_type TEXT ${checkOneOf('status_history', 'intervention_type')},
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  },
  {
    name: 'webhook_events',
    create: (name) => `CREATE TABLE ${name} (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    account TEXT NOT NULL,
    event_type TEXT NOT NULL ${checkOneOf('webhook_events', 'event_type')},
    level TEXT NOT NULL ${checkOneOf('webhook_events', 'level')},
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  },
  {
    name: 'webhook_deliveries',
    create: (name) => `CREATE TABLE ${name} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES webhook_events(id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
    invoice_id TEXT NOT NULL,
    status TEXT NOT NULL ${checkOneOf('webhook_deliveries', 'status')},
    attempts INTEGER NOT NULL DEFAULT 0,
    round_attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT`,
  },
];

/** The constraints the tables above add (invoices.type comes with its column in 0006). */
const CHECKS = [
  ['invoices', checkOneOf('invoices', 'state')],
  ['invoices', checkOneOf('invoices', 'intervention_type')],
  ['invoices', checkOneOf('invoices', 'resolution')],
  ['invoice_versions', checkOneOf('invoice_versions', 'state')],
  ['status_history', checkOneOf('status_history', 'from_state')],
  ['status_history', checkOneOf('status_history', 'to_state')],
  ['status_history', checkOneOf('status_history', 'intervention_type')],
  ['webhook_events', checkOneOf('webhook_events', 'event_type')],
  ['webhook_events', checkOneOf('webhook_events', 'level')],
  ['webhook_deliveries', checkOneOf('webhook_deliveries', 'status')],
] as const;

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    if (!onPostgres(db)) return rebuildTables(db, TABLES);
    for (const [table, check] of CHECKS) await sql.raw(`ALTER TABLE ${table} ADD ${check}`).execute(db);
  },
};
