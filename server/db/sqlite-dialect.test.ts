import Sqlite from 'better-sqlite3';
import { AbortedTransactionError, Kysely, SqliteDialect, sql, type Dialect, type Generated } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promiseHooks } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PayframeSqliteDialect } from './sqlite-dialect';

interface TestDb {
  counter: { id: number; n: number; tx: number };
  items: { id: Generated<number>; sku: string; qty: number };
}

const SCHEMA = `
  create table counter (id integer primary key, n integer not null, tx integer not null);
  insert into counter values (1, 0, -1);
  create table items (id integer primary key, sku text not null unique, qty integer not null);`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'payframe-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database file set up as openSqlite sets it up; `executed` lists each statement SQLite ran, parameters filled in. */
function openFile(name: string, dialect: (database: Sqlite.Database) => Dialect = (database) => new PayframeSqliteDialect({ database })) {
  const executed: string[] = [];
  const database = new Sqlite(join(dir, name), { verbose: (statement) => executed.push(String(statement)) });
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 0');
  database.exec(SCHEMA);
  executed.length = 0;
  return { database, executed, db: new Kysely<TestDb>({ dialect: dialect(database) }) };
}

describe('PayframeSqliteDialect', () => {
  let db: Kysely<TestDb>;
  let database: Sqlite.Database;
  let executed: string[];
  beforeEach(() => {
    ({ db, database, executed } = openFile('test.db'));
  });
  afterEach(() => db.destroy());

  it('starts 50 concurrent queries and transactions in the order they were issued', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? sql`select ${i} as i`.execute(db)
          : db.transaction().execute(async (trx) => {
              await sql`select ${i} as i`.execute(trx);
              await nextTurn();
            }),
      ),
    );
    const started = executed.flatMap((statement) => /^select ([\d.]+) as i$/.exec(statement)?.[1] ?? []).map(Number);
    expect(started).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('never interleaves transactions: concurrent read-modify-writes lose no update and no statement runs inside another transaction', async () => {
    const transactions = 20;
    await Promise.all(
      Array.from({ length: transactions }, (_, tx) =>
        db.transaction().execute(async (trx) => {
          const { n } = await trx.selectFrom('counter').select(['n', sql<number>`${tx}`.as('reader')]).executeTakeFirstOrThrow();
          await nextTurn();
          await trx.updateTable('counter').set({ n: n + 1, tx }).where('id', '=', 1).execute();
        }),
      ),
    );
    const log = [...executed];
    expect(await db.selectFrom('counter').select('n').executeTakeFirstOrThrow()).toEqual({ n: transactions });
    expect(log.filter((statement) => statement === 'commit')).toHaveLength(transactions);

    // Every statement names its transaction (`k as "reader"`, `"tx" = k`); between a BEGIN and its COMMIT they must all name the same one.
    let owner: string | undefined;
    let open = false;
    for (const statement of log) {
      if (statement === 'begin immediate') {
        expect(open, 'BEGIN inside an open transaction').toBe(false);
        [open, owner] = [true, undefined];
      } else if (statement === 'commit') {
        open = false;
      } else {
        const tx = /([\d.]+) as "reader"|"tx" = ([\d.]+)/.exec(statement)?.slice(1).find(Boolean);
        expect(open, `statement outside a transaction: ${statement}`).toBe(true);
        owner ??= tx;
        expect(tx, statement).toBe(owner);
      }
    }
  });

  it('prepares each SQL text once, however often it runs', async () => {
    const prepare = vi.spyOn(database, 'prepare');
    for (let id = 0; id < 20; id++) await db.selectFrom('items').selectAll().where('id', '=', id).execute();
    expect(prepare.mock.calls.map(([text]) => text)).toEqual(['select * from "items" where "id" = ?']);
  });

  it('rolls back a transaction whose callback throws and hands the connection to the next waiter', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ sku: 'a', qty: 1 }).execute();
      throw new Error('refused');
    });
    const next = db.selectFrom('items').selectAll().execute();
    await expect(failing).rejects.toThrow('refused');
    expect(await next).toEqual([]);
    expect(executed.indexOf('rollback')).toBeLessThan(executed.indexOf('select * from "items"'));
    expect(database.inTransaction).toBe(false);
  });

  it('fails a transaction at BEGIN, before its callback runs, while another process holds the write lock', async () => {
    const other = new Sqlite(join(dir, 'test.db'));
    other.exec('begin immediate');
    const callback = vi.fn(async (trx: Kysely<TestDb>) => {
      await trx.selectFrom('items').selectAll().execute();
      await trx.insertInto('items').values({ sku: 'a', qty: 1 }).execute();
    });
    try {
      await expect(db.transaction().execute(callback)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(callback).not.toHaveBeenCalled();
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([]);
  });

  it('reports a transaction SQLite rolled back by itself as AbortedTransactionError, and frees the connection', async () => {
    await db.insertInto('items').values({ sku: 'a', qty: 1 }).execute();
    const aborted = db.transaction().execute(async (trx) => {
      await trx.updateTable('items').set({ qty: 2 }).execute();
      await expect(sql`insert or rollback into items (sku, qty) values ('a', 3)`.execute(trx)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    });
    await expect(aborted).rejects.toBeInstanceOf(AbortedTransactionError);
    expect(await db.selectFrom('items').select('qty').execute()).toEqual([{ qty: 1 }]);
  });

  it('keeps the work per query flat as waiters pile up (one wake-up per release)', async () => {
    // Promise continuations per query; a lock that wakes every waiter adds one per waiter to each release.
    const perQuery = async (waiters: number) => {
      let count = 0;
      const stop = promiseHooks.onBefore(() => count++);
      try {
        await Promise.all(Array.from({ length: waiters }, () => db.selectFrom('items').selectAll().where('id', '=', 1).execute()));
      } finally {
        stop();
      }
      return count / waiters;
    };
    await perQuery(1);
    const few = await perQuery(100);
    expect(await perQuery(400)).toBeLessThan(few * 1.5);
  });
});

describe('PayframeSqliteDialect beside Kysely’s SqliteDialect', () => {
  it('gives the same results, row counts and insert ids for the same queries', async () => {
    const run = async (db: Kysely<TestDb>) => {
      const results: unknown[] = [];
      results.push(await db.insertInto('items').values({ sku: 'a', qty: 1 }).executeTakeFirstOrThrow());
      results.push(await db.insertInto('items').values([{ sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }]).execute());
      results.push(await db.insertInto('items').values({ sku: 'd', qty: 4 }).returningAll().execute());
      results.push(await db.insertInto('items').values({ sku: 'a', qty: 9 }).onConflict((oc) => oc.column('sku').doNothing()).executeTakeFirstOrThrow());
      results.push(await db.insertInto('items').values({ sku: 'a', qty: 9 }).onConflict((oc) => oc.column('sku').doNothing()).returning('id').execute());
      results.push(await db.insertInto('items').values({ sku: 'b', qty: 5 }).onConflict((oc) => oc.column('sku').doUpdateSet({ qty: 5 })).executeTakeFirstOrThrow());
      results.push(await db.insertInto('items').values({ sku: 'c', qty: 6 }).onConflict((oc) => oc.column('sku').doUpdateSet({ qty: 6 })).returningAll().execute());
      results.push(await db.updateTable('items').set({ qty: 0 }).where('qty', '>', 4).executeTakeFirstOrThrow());
      results.push(await db.updateTable('items').set({ qty: 7 }).where('sku', '=', 'd').returning(['id', 'qty']).execute());
      results.push(await db.deleteFrom('items').where('sku', '=', 'nothing').executeTakeFirstOrThrow());
      results.push(await db.deleteFrom('items').where('sku', '=', 'c').returningAll().execute());
      results.push(await sql`pragma user_version`.execute(db));
      results.push(await sql`update counter set n = n + 1`.execute(db));
      const trx = await db.startTransaction().execute();
      const inSavepoint = await trx.savepoint('before "e"').execute();
      await inSavepoint.insertInto('items').values({ sku: 'e', qty: 1 }).execute();
      const rolledBack = await inSavepoint.rollbackToSavepoint('before "e"').execute();
      await rolledBack.releaseSavepoint('before "e"').execute();
      await trx.insertInto('items').values({ sku: 'f', qty: 1 }).execute();
      await trx.commit().execute();
      const streamed: unknown[] = [];
      for await (const row of db.selectFrom('items').selectAll().orderBy('id').stream()) streamed.push(row);
      results.push(streamed);
      return results;
    };
    const ours = openFile('ours.db');
    const kyselys = openFile('kysely.db', (database) => new SqliteDialect({ database }));
    try {
      const expected = await run(kyselys.db);
      expect(await run(ours.db)).toEqual(expected);
      expect(expected[0]).toEqual({ insertId: 1n, numInsertedOrUpdatedRows: 1n });
      expect(expected.at(-1)).toEqual([
        { id: 1, sku: 'a', qty: 1 },
        { id: 2, sku: 'b', qty: 0 },
        { id: 4, sku: 'd', qty: 7 },
        { id: 5, sku: 'f', qty: 1 },
      ]);
    } finally {
      await Promise.all([ours.db.destroy(), kyselys.db.destroy()]);
    }
  });
});
