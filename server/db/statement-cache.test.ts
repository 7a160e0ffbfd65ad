import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../testing/temp-dir';
import { StatementCache } from './statement-cache';

describe('StatementCache', () => {
  const tmp = tempDirPerTest('payframe-statement-cache-');
  let db: Sqlite.Database;
  beforeEach(() => {
    db = new Sqlite(':memory:');
  });
  afterEach(() => db.close());

  it('returns the same prepared statement for the same SQL text', () => {
    const cache = new StatementCache(db, 3);
    const first = cache.get('select 1');
    expect(cache.get('select 1')).toBe(first);
    expect(cache.get('select 2')).not.toBe(first);
  });

  it('drops the least recently used statement once past its capacity', () => {
    const cache = new StatementCache(db, 2);
    const one = cache.get('select 1');
    const two = cache.get('select 2');
    cache.get('select 1');
    cache.get('select 3');
    expect(cache.get('select 1')).toBe(one);
    expect(cache.get('select 2')).not.toBe(two);
  });

  it('drops the one used longest ago, not the one prepared first', () => {
    const cache = new StatementCache(db, 3);
    const [one, two, three] = ['select 1', 'select 2', 'select 3'].map((sql) => cache.get(sql));
    for (let i = 0; i < 5; i++) cache.get('select 1');
    cache.get('select 3');
    cache.get('select 4');
    expect(cache.get('select 1')).toBe(one);
    expect(cache.get('select 3')).toBe(three);
    expect(cache.get('select 2')).not.toBe(two);
  });

  it('reads rows as the objects better-sqlite3 makes: keyed by column name, with the same values', () => {
    db.exec(`create table t (id integer primary key, label text, amount text, data blob, note text)`);
    db.prepare('insert into t (label, amount, data, note) values (?, ?, ?, ?)').run('a', '0.000000000000000001', Buffer.from([1, 2]), null);
    db.prepare('insert into t (label, amount, data, note) values (?, ?, ?, ?)').run('b"\\', '12', null, 'x');
    const cache = new StatementCache(db, 8);
    for (const sql of ['select * from t order by id', 'select id, label, note as "a b", 1 as id from t where id > ? order by id']) {
      const params = sql.includes('?') ? [0] : [];
      const ours = cache.get(sql).rows!(params) as Record<string, unknown>[];
      expect(ours).toEqual(db.prepare(sql).all(...params));
      for (const row of ours) expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    }
    // A column named __proto__ is a property like any other (better-sqlite3's own rows lose it to the prototype
    // setter); a name twice keeps the later value, as theirs do.
    const [row] = cache.get('select id, label as "__proto__", note as "a b", 1 as id from t where id > ? order by id').rows!([0]) as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual(['id', '__proto__', 'a b']);
    expect(row!.id).toBe(1);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('a');
  });

  it('reads the columns a select * has after another connection changed the table', () => {
    const file = tmp.path('db.sqlite');
    const mine = new Sqlite(file);
    try {
      mine.exec(`create table t (id integer primary key, label text); insert into t (label) values ('a')`);
      const cache = new StatementCache(mine, 2);
      expect(cache.get('select * from t').rows!([])).toEqual([{ id: 1, label: 'a' }]);
      const other = new Sqlite(file);
      other.exec(`alter table t add column note text default 'x'`);
      other.close();
      expect(cache.get('select * from t').rows!([])).toEqual([{ id: 1, label: 'a', note: 'x' }]);
    } finally {
      mine.close();
    }
  });

  it('gives no reader for a statement that returns no rows', () => {
    db.exec('create table t (x integer)');
    expect(new StatementCache(db, 2).get('insert into t (x) values (?)').rows).toBeUndefined();
  });

  it('refuses a capacity that would cache nothing', () => {
    expect(() => new StatementCache(db, 0)).toThrow(/positive integer/);
  });
});
