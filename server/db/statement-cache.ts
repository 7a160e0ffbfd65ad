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
  // Each statement with the tick of its last use: a hit only stamps it (moving it to the end of a Map on every
  // query cost a delete and an insert, about a microsecond a statement); the least recently used is looked for
  // only when a new text would pass the capacity.
  readonly #statements = new Map<string, { statement: Sqlite.Statement; used: number }>();
  #tick = 0;

  constructor(db: Sqlite.Database, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`statement cache capacity must be a positive integer, got ${capacity}`);
    this.#db = db;
    this.#capacity = capacity;
  }

  get(sql: string): Sqlite.Statement {
    const cached = this.#statements.get(sql);
    if (cached) {
      cached.used = ++this.#tick;
      return cached.statement;
    }
    const statement = this.#db.prepare(sql);
    if (this.#statements.size >= this.#capacity) this.#dropLeastRecentlyUsed();
    this.#statements.set(sql, { statement, used: ++this.#tick });
    return statement;
  }

  #dropLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [sql, { used }] of this.#statements) {
      if (used < oldestUse) {
        oldest = sql;
        oldestUse = used;
      }
    }
    if (oldest !== undefined) this.#statements.delete(oldest);
  }

  clear(): void {
    this.#statements.clear();
  }
}
