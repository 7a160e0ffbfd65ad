import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, sql, type Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CHECKED_COLUMNS } from './checks';
import { migrationProvider } from './migrations';
import { openSqlite } from './open';
import type { Database, Db } from './schema';
import { PayframeSqliteDialect } from './sqlite-dialect';
import { createReplayGuard } from '../api/replay-guard';
import { watchedQuery } from '../invoices/chain-sink';
import { dueForRequote } from '../invoices/quote';
import { tempDirPerTest } from '../testing/temp-dir';

/** A database as Payframe left it after `migration` (0004 by default), opened as open.ts opens one, foreign keys on. */
async function openAt0004(file: string, migration = '0004_contract'): Promise<Db> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(migration);
  if (error) throw error;
  return db;
}

const invoice = (id: string, address: string, state: string, intervention: string | null, resolution: string | null) =>
  `INSERT INTO invoices VALUES ('${id}', '0xacc', 'key-${id}', 'hash', 'ETH', 'sandbox', 'sandbox', '${address}', 0, '1000', '400', '0',
   '${state}', ${intervention === null ? 'NULL' : `'${intervention}'`}, ${resolution === null ? 'NULL' : `'${resolution}'`}, 0, 1, 1, 3, '0xd1', 'Order', NULL, NULL, NULL, NULL, 1, 2, 3, 2)`;

/** One row or more in every table, as a running Payframe writes them. */
const ROWS = [
  `INSERT INTO merchants VALUES ('0xacc', 'Shop', '["http://shop.test"]', 0, 1)`,
  `INSERT INTO api_keys VALUES ('pk_1', '0xacc', 'sealed:secret', 1)`,
  invoice('inv_a', '0xa1', 'PENDING_INTERVENTION', 'UNDERPAY', null),
  invoice('inv_b', '0xb1', 'ARCHIVED', 'OVERPAY', 'REJECT'),
  `INSERT INTO payments VALUES (1, 'sandbox', '0xd1', 0, 'inv_a', 'ETH', '0xbuyer', '400', 7, '0xb7', 5, 0, 0, 1)`,
  `INSERT INTO payments VALUES (2, 'sandbox', '0xd2', 0, 'inv_b', 'ETH', '0xbuyer', '2000', NULL, NULL, 6, 1, 1, 0)`,
  `INSERT INTO chain_tips VALUES ('sandbox', 9, '0xb9')`,
  `INSERT INTO invoice_versions VALUES ('inv_a', 1, 'PENDING_PAYMENT', '{"v":1}', 1), ('inv_a', 2, 'PENDING_INTERVENTION', '{"v":2}', 2)`,
  `INSERT INTO invoice_versions VALUES ('inv_b', 1, 'PENDING_PAYMENT', '{"v":1}', 1), ('inv_b', 2, 'ARCHIVED', '{"v":2}', 3)`,
  `INSERT INTO status_history VALUES (1, 'inv_a', NULL, 'PENDING_PAYMENT', NULL, 'created', 1), (2, 'inv_a', 'PENDING_PAYMENT', 'PENDING_INTERVENTION', 'UNDERPAY', 'payment confirmed', 2)`,
  `INSERT INTO status_history VALUES (3, 'inv_b', 'PENDING_INTERVENTION', 'ARCHIVED', NULL, 'intervention resolved: REJECT', 3)`,
  `INSERT INTO address_counters VALUES ('sandbox', 2)`,
  `INSERT INTO merchant_xpubs VALUES ('0xacc', 'evm', 'sealed:xpub', 1)`,
  `INSERT INTO chain_blocks VALUES ('anvil', 8, '0xb8', '0xb7'), ('anvil', 9, '0xb9', '0xb8')`,
  `INSERT INTO webhook_subscriptions VALUES (1, '0xacc', 'req-1', 'http://shop.test/hook', '["INVOICE_PAID"]', 'whpk', 'sealed:whsec', NULL, NULL, 1, NULL, 2, 1, NULL)`,
  `INSERT INTO webhook_events VALUES (1, 'inv_a', '0xacc', 'INVOICE_CREATE_INVOICE', 'INFO', '{}', 1), (2, 'inv_a', '0xacc', 'INVOICE_PENDING_INTERVENTION', 'WARNING', '{}', 2)`,
  `INSERT INTO webhook_events VALUES (3, 'inv_b', '0xacc', 'INVOICE_ARCHIVED', 'SUCCESS', '{}', 3)`,
  `INSERT INTO webhook_deliveries VALUES (1, 1, 1, 'inv_a', 'DELIVERED', 1, 1, 1, 1, 1, 1), (2, 2, 1, 'inv_a', 'PENDING', 2, 2, 90, 2, NULL, 2)`,
  `INSERT INTO webhook_deliveries VALUES (3, 3, 1, 'inv_b', 'FAILED', 20, 20, 3, 3, NULL, 3), (4, 3, 1, 'inv_b', 'CANCELLED', 0, 0, 3, NULL, NULL, 3)`,
  // The newest delivery is gone: AUTOINCREMENT must still never hand out its id again.
  `INSERT INTO webhook_deliveries VALUES (5, 3, 1, 'inv_b', 'PENDING', 0, 0, 3, NULL, NULL, 3)`,
  `DELETE FROM webhook_deliveries WHERE id = 5`,
  `INSERT INTO webhook_attempts VALUES (1, 1, 1, 1, 12, 1, 200, NULL, 'ok'), (2, 2, 1, 2, 30, 0, 500, NULL, 'down')`,
  `INSERT INTO signed_requests VALUES ('sig-1', 'POST /invoice', 99)`,
];

/** Every table's rows and definition, and every index: what a migration must keep. */
async function snapshot(db: Db) {
  const tables = (await sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`.execute(db)).rows.map((t) => t.name);
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = {
      rows: (await sql.raw(`SELECT * FROM ${table}`).execute(db)).rows.map((r) => JSON.stringify(r)).sort(),
      columns: (await sql.raw(`SELECT * FROM pragma_table_xinfo('${table}')`).execute(db)).rows,
      foreignKeys: (await sql.raw(`SELECT * FROM pragma_foreign_key_list('${table}')`).execute(db)).rows,
    };
  }
  out.indexes = (await sql`SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`.execute(db)).rows;
  return out;
}

describe('migration 0005_state_checks', () => {
  const tmp = tempDirPerTest('payframe-migrate-');
  const file = () => tmp.path('payframe.db');

  it('keeps every row, column, foreign key and index of a database written before it, and then refuses a wrong state', async () => {
    const old = await openAt0004(file());
    for (const statement of ROWS) await sql.raw(statement).execute(old);
    const before = await snapshot(old);
    expect(Object.keys(before)).toHaveLength(16);
    await old.destroy();

    // 0005 alone keeps everything as it was; later migrations add to it (then the checks below hold for theirs too).
    const db = await openAt0004(file(), '0005_state_checks');
    try {
      expect(await snapshot(db)).toEqual(before);
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
      expect(error).toBeUndefined();
      expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows).toEqual([{ foreign_keys: 1 }]);
      expect((await sql`PRAGMA foreign_key_check`.execute(db)).rows).toEqual([]);
      expect((await sql`PRAGMA integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
      const invoicesSql = (await sql<{ sql: string }>`SELECT sql FROM sqlite_schema WHERE name = 'invoices'`.execute(db)).rows[0]!.sql;
      expect(invoicesSql).toMatch(/^CREATE TABLE "?invoices"? \(/);
      expect(invoicesSql).toMatch(/\) STRICT$/);

      await expect(db.updateTable('invoices').set({ state: 'LOST' as never }).where('id', '=', 'inv_a').execute()).rejects.toThrow('CHECK constraint failed: invoices_state');
      for (const [table, columns] of Object.entries(CHECKED_COLUMNS)) {
        for (const column of Object.keys(columns)) {
          await expect(sql.raw(`UPDATE ${table} SET ${column} = 'NOT_IN_THE_LIST' WHERE rowid = (SELECT min(rowid) FROM ${table})`).execute(db), `${table}.${column}`).rejects.toThrow(
            `CHECK constraint failed: ${table}_${column}`,
          );
        }
      }
      // Still enforced after the rebuild: references to the rebuilt tables, and theirs to others.
      await expect(sql`INSERT INTO payments (chain, tx_hash, log_index, invoice_id, currency, sender, amount, seen_at) VALUES ('sandbox', '0xe', 0, 'inv_none', 'ETH', '0x', '1', 1)`.execute(db)).rejects.toThrow(
        'FOREIGN KEY constraint failed',
      );
      await expect(sql`INSERT INTO webhook_deliveries (event_id, subscription_id, invoice_id, status, next_attempt_at, created_at) VALUES (99, 1, 'inv_a', 'PENDING', 1, 1)`.execute(db)).rejects.toThrow(
        'FOREIGN KEY constraint failed',
      );
      const next = await db
        .insertInto('webhook_deliveries')
        .values({ event_id: 1, subscription_id: 1, invoice_id: 'inv_a', status: 'PENDING', attempts: 0, round_attempts: 0, next_attempt_at: 1, created_at: 4 })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBe(6);
    } finally {
      await db.destroy();
    }
  });

  it('leaves a database whose rows hold a value outside the lists as it was, and names the migration', async () => {
    const old = await openAt0004(file());
    for (const statement of ROWS) await sql.raw(statement).execute(old);
    await sql`UPDATE status_history SET to_state = 'REFUNDED' WHERE id = 3`.execute(old);
    const before = await snapshot(old);
    await old.destroy();

    await expect(openSqlite(file())).rejects.toThrow(/0005_state_checks.*CHECK constraint failed: status_history_to_state/s);
    const raw = new Sqlite(file());
    const db = new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database: raw }) });
    try {
      expect(await snapshot(db)).toEqual(before);
      expect((await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name)).toEqual(['0001_core', '0002_evm', '0003_webhooks', '0004_contract']);
    } finally {
      await db.destroy();
    }
  });

  it('gives a new database the same tables as a migrated one', async () => {
    const fresh = await openSqlite(file());
    const migratedFile = tmp.path('migrated.db');
    const old = await openAt0004(migratedFile);
    await old.destroy();
    const migrated = await openSqlite(migratedFile);
    try {
      const schema = (db: Db) => sql`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'kysely_%' ORDER BY name`.execute(db).then((r) => r.rows);
      expect(await schema(migrated)).toEqual(await schema(fresh));
    } finally {
      await fresh.destroy();
      await migrated.destroy();
    }
  });

  it('holds the lists as 0005 wrote them: a value added to contract/enums.ts since needs a migration of its own', () => {
    // A database migrated by 0005 refuses any value added to a list later, until a migration writes its
    // constraint again (db/checks.ts says how). Write that migration, then add the value here.
    expect(CHECKED_COLUMNS).toEqual({
      invoices: {
        state: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED'],
        intervention_type: ['UNDERPAY', 'OVERPAY', 'MULTIPLE_SENDERS', 'LATE_PAYMENT'],
        resolution: ['ACCEPT', 'REJECT'],
        // Since 0006, which added the column with its constraint.
        type: ['SINGLE', 'SINGLE_FIAT'],
      },
      invoice_versions: { state: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED'] },
      status_history: {
        from_state: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED'],
        to_state: ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED'],
        intervention_type: ['UNDERPAY', 'OVERPAY', 'MULTIPLE_SENDERS', 'LATE_PAYMENT'],
      },
      webhook_events: {
        event_type: [
          'INVOICE_CREATE_INVOICE',
          'INVOICE_MEMPOOL_FOUND',
          'INVOICE_FUNDS_RECEIVED_FOR_INVOICE',
          'INVOICE_PAID',
          'INVOICE_PENDING_INTERVENTION',
          'INVOICE_EXPIRED',
          'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED',
          'INVOICE_ARCHIVED',
          'INVOICE_PAYMENT_REVERSED',
        ],
        level: ['SUCCESS', 'INFO', 'WARNING'],
      },
      webhook_deliveries: { status: ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'] },
    });
  });
});

describe('migration 0011_time_ordered_claims', () => {
  const tmp = tempDirPerTest('payframe-migrate-');

  it('keeps the claims of a running database, keyed by expiry first, so a replay made before it is still refused', async () => {
    const file = tmp.path('payframe.db');
    const old = await openAt0004(file, '0010_instances');
    const until = Date.now() + 60_000;
    await sql`INSERT INTO signed_requests (sign, route, expires_at) VALUES ('aa11', 'POST /api/v1/invoice/single/create', ${until}), ('bb22', 'POST /api/v1/invoice/get', 5)`.execute(old);
    await old.destroy();

    const db = await openSqlite(file);
    try {
      expect((await db.selectFrom('signed_requests').selectAll().orderBy('expires_at').execute()).map((r) => [r.expires_at, r.sign, r.route])).toEqual([
        [5, 'bb22', 'POST /api/v1/invoice/get'],
        [until, 'aa11', 'POST /api/v1/invoice/single/create'],
      ]);
      const key = (await sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info('signed_requests') WHERE pk > 0 ORDER BY pk`.execute(db)).rows;
      expect(key.map((c) => c.name)).toEqual(['expires_at', 'sign']);
      // No second index: the key serves the prune by expiry.
      expect((await sql`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'signed_requests' AND sql IS NOT NULL`.execute(db)).rows).toEqual([]);

      const guard = createReplayGuard(db);
      expect(await guard.claim('aa11', 'POST /api/v1/invoice/single/create', until)).toBe('POST /api/v1/invoice/single/create');
      expect(await guard.claim('cc33', 'POST /api/v1/invoice/single/create', until)).toBeNull();
      expect(await guard.prune(until)).toBe(1);
      expect((await db.selectFrom('signed_requests').select('sign').orderBy('sign').execute()).map((r) => r.sign)).toEqual(['aa11', 'cc33']);
    } finally {
      await db.destroy();
    }
  });
});

/** SQLite's plan of `query` (EXPLAIN QUERY PLAN), a line per step. */
async function planOf(db: Db, query: Compilable<unknown>): Promise<string[]> {
  const { sql: text, parameters } = query.compile();
  return (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${text}`, [...parameters]))).rows.map((r) => r.detail);
}

describe('migration 0012_requote_index', () => {
  const tmp = tempDirPerTest('payframe-migrate-');

  it('gives the requote sweep an index of its own: SQLite reads the due fiat invoices, not every open invoice', async () => {
    const db = await openSqlite(tmp.path('payframe.db'));
    try {
      expect(await planOf(db, dueForRequote(db, Date.now()))).toEqual([expect.stringContaining('USING INDEX invoices_requote_due (type=? AND state=? AND amount_paid=? AND quote_expires_at<?)')]);
    } finally {
      await db.destroy();
    }
  });
});

describe('migration 0013_no_chain_state_index', () => {
  const tmp = tempDirPerTest('payframe-migrate-');

  it('drops the index on (chain, state); the addresses a chain watches are read through (state, expires_at), a range per state', async () => {
    const db = await openSqlite(tmp.path('payframe.db'));
    try {
      const indexes = (await sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'invoices'`.execute(db)).rows.map((r) => r.name);
      expect(indexes).toContain('invoices_by_state_expiry');
      expect(indexes).not.toContain('invoices_by_chain_state');
      const plan = (await planOf(db, watchedQuery(db, 'sandbox', Date.now()))).join('\n');
      expect(plan).toContain('MULTI-INDEX OR');
      expect(plan).toMatch(/USING INDEX invoices_by_state_expiry \(state=\?\)/);
      expect(plan).toMatch(/USING INDEX invoices_by_state_expiry \(state=\? AND expires_at>\?\)/);
      expect(plan).not.toContain('sqlite_autoindex_invoices');
    } finally {
      await db.destroy();
    }
  });
});
