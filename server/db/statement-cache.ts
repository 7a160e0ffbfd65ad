import type Sqlite from 'better-sqlite3';

/**
 * Prepared statements by SQL text, the least recently used dropped past
 * `capacity`.
 *
 * Kysely compiles every query shape to the same text with `?` placeholders,
 * so the app has a few hundred texts at most; preparing each once instead of
 * on every query is the saving. The bound exists because some shapes are
 * open-ended (an `in (?, ?, …)` list makes one text per list length).
 */
export class StatementCache {
  readonly #db: Sqlite.Database;
  readonly #capacity: number;
  // A Map iterates in insertion order, and a hit is re-inserted, so the first key is the least recently used.
  readonly #statements = new Map<string, Sqlite.Statement>();

  constructor(db: Sqlite.Database, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`statement cache capacity must be a positive integer, got ${capacity}`);
    this.#db = db;
    this.#capacity = capacity;
  }

  get(sql: string): Sqlite.Statement {
    let statement = this.#statements.get(sql);
    if (statement) this.#statements.delete(sql);
    else statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#capacity) {
      const oldest = this.#statements.keys().next();
      if (!oldest.done) this.#statements.delete(oldest.value);
    }
    return statement;
  }

  clear(): void {
    this.#statements.clear();
  }
}
