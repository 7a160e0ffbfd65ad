import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache';

describe('StatementCache', () => {
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

  it('refuses a capacity that would cache nothing', () => {
    expect(() => new StatementCache(db, 0)).toThrow(/positive integer/);
  });
});
