import Sqlite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../testing/temp-dir';
import { changes, compileOnce, statement, statementOf } from './compile-once';
import { PayframeSqliteDialect } from './sqlite-dialect';

interface TestDb {
  items: { id: number; sku: string; qty: number };
}

describe('compileOnce', () => {
  const tmp = tempDirPerTest('payframe-compile-once-');
  let db: Kysely<TestDb>;
  let executed: string[];
  beforeEach(() => {
    executed = [];
    const database = new Sqlite(tmp.path('db.sqlite'), { verbose: (statement) => executed.push(String(statement)) });
    database.exec(`create table items (id integer primary key, sku text not null, qty integer not null);
      insert into items values (1, 'a', 5), (2, 'b', 7), (3, 'b', 9);`);
    executed = [];
    db = new Kysely<TestDb>({ dialect: new PayframeSqliteDialect({ database }) });
  });
  afterEach(() => db.destroy());

  it('runs the query it compiled with the values of each call, in the order the arguments are given', async () => {
    const bySkuAbove = compileOnce(db, (qty: number, sku: string) => db.selectFrom('items').select('id').where('sku', '=', sku).where('qty', '>', qty).orderBy('id'));
    expect(await bySkuAbove(6, 'b')).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await bySkuAbove(8, 'b')).toEqual([{ id: 3 }]);
    expect(await bySkuAbove(0, 'a')).toEqual([{ id: 1 }]);
  });

  it('keeps the values the query holds itself, such as its LIMIT', async () => {
    const firstOf = compileOnce(db, (sku: string) => db.selectFrom('items').select('id').where('sku', '=', sku).orderBy('id').limit(1));
    expect(await firstOf('b')).toEqual([{ id: 2 }]);
    // better-sqlite3's trace writes a bound number as a real: the LIMIT went in as a parameter.
    expect(executed).toEqual(['select "id" from "items" where "sku" = \'b\' order by "id" limit 1.0']);
  });

  it('refuses, when it is built, an argument that does not reach the parameters as given', () => {
    expect(() => compileOnce(db, (sku: string) => db.selectFrom('items').select('id').where('sku', '=', sku.toUpperCase()))).toThrow(/argument 0 does not reach/);
    expect(() => compileOnce(db, (_sku: string) => db.selectFrom('items').select('id'))).toThrow(/argument 0 does not reach/);
  });

  it('statement(): compiled once per database, it runs on the database or the transaction each call names', async () => {
    let builds = 0;
    const qtyOf = statement((q: Kysely<TestDb>, id: number) => (builds++, q.selectFrom('items').select('qty').where('id', '=', id)));
    expect(await qtyOf(db, 1)).toEqual([{ qty: 5 }]);
    // Inside a transaction it sees the transaction's own write: it ran there (on the database itself it
    // would wait for the one connection the transaction holds, for ever).
    const inside = await db.transaction().execute(async (trx) => {
      await trx.updateTable('items').set({ qty: 50 }).where('id', '=', 1).execute();
      return qtyOf(trx, 1);
    });
    expect(inside).toEqual([{ qty: 50 }]);
    expect(await qtyOf(db, 2)).toEqual([{ qty: 7 }]);
    expect(builds).toBe(1);
    // Another database compiles its own.
    const other = new Kysely<TestDb>({ dialect: new PayframeSqliteDialect({ database: new Sqlite(':memory:') }) });
    await other.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('sku', 'text').addColumn('qty', 'integer').execute();
    await other.insertInto('items').values({ id: 1, sku: 'z', qty: 1 }).execute();
    expect(await qtyOf(other, 1)).toEqual([{ qty: 1 }]);
    expect(builds).toBe(2);
    await other.destroy();
  });

  it('changes(): how many rows a write changed, on the database and on the connection a transaction holds', async () => {
    const insertNew = changes((q: Kysely<TestDb>, id: number, sku: string) => q.insertInto('items').values({ id, sku, qty: 0 }).onConflict((oc) => oc.column('id').doNothing()));
    const restock = changes((q: Kysely<TestDb>, sku: string) => q.updateTable('items').set({ qty: 1 }).where('sku', '=', sku));
    expect(await insertNew(db, 20, 'e')).toBe(1);
    expect(await insertNew(db, 20, 'f')).toBe(0);
    expect(await db.transaction().execute(async (trx) => [await insertNew(trx, 21, 'g'), await insertNew(trx, 21, 'h'), await restock(trx, 'b')])).toEqual([1, 0, 2]);
    expect(await db.selectFrom('items').select(['id', 'sku']).where('id', '>=', 20).orderBy('id').execute()).toEqual([
      { id: 20, sku: 'e' },
      { id: 21, sku: 'g' },
    ]);
  });

  it('statementOf(): a build whose values come through a rest parameter takes as many as it is told', async () => {
    const columns = ['id', 'sku', 'qty'] as const;
    const insert = statementOf(columns.length, (q: Kysely<TestDb>, ...values: unknown[]) =>
      q.insertInto('items').values(Object.fromEntries(columns.map((c, i) => [c, values[i]])) as TestDb['items']),
    );
    await insert(db, 10, 'c', 1);
    await insert(db, 11, 'd', 2);
    expect(await db.selectFrom('items').selectAll().where('id', '>=', 10).orderBy('id').execute()).toEqual([
      { id: 10, sku: 'c', qty: 1 },
      { id: 11, sku: 'd', qty: 2 },
    ]);
    expect(() => statementOf(4, (q: Kysely<TestDb>, ...values: unknown[]) => q.selectFrom('items').select('id').where('id', '=', values[0] as number))(db)).toThrow(/argument 1 does not reach/);
  });

  it('statement(): in a transaction, its writes are the transaction\'s, undone with it', async () => {
    const setQty = statement((q: Kysely<TestDb>, qty: number, id: number) => q.updateTable('items').set({ qty }).where('id', '=', id));
    const qtyOf = statement((q: Kysely<TestDb>, id: number) => q.selectFrom('items').select('qty').where('id', '=', id));
    await expect(
      db.transaction().execute(async (trx) => {
        await setQty(trx, 99, 2);
        expect(await qtyOf(trx, 2)).toEqual([{ qty: 99 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await qtyOf(db, 2)).toEqual([{ qty: 7 }]);
  });
});

