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
/**
 * A prepared statement; for one that returns rows, also a reader of them. better-sqlite3 (on Node 20) builds
 * each row object by setting its columns one by one, looking each column's name up again: 12.3 µs for a row of
 * the invoices table's 38 columns, against 7.6–9.1 µs for the row as an array (raw mode) made into an object by
 * an object literal of the statement's columns (one-off), whose objects also all share one shape.
 */
export interface Prepared {
  readonly statement: Sqlite.Statement;
  /** The statement's rows for `parameters`, as objects keyed by column name; undefined for a statement that returns none. */
  readonly rows: ((parameters: readonly unknown[]) => unknown[]) | undefined;
}

function prepared(statement: Sqlite.Statement): Prepared {
  if (!statement.reader) return { statement, rows: undefined };
  let { width, row } = rowOf(statement);
  statement.raw(true);
  return {
    statement,
    rows(parameters) {
      const rows = statement.all(parameters) as unknown[][];
      // SQLite prepares a statement again after the schema changed (another process migrated the database), and
      // a `select *` may then have more or fewer columns: the object literal is made again for them. (A change
      // that keeps their number is not seen: migrations run when a server starts, before it prepares any.)
      if (rows.length > 0 && rows[0]!.length !== width) ({ width, row } = rowOf(statement));
      return rows.map(row);
    },
  };
}

/**
 * The object literal of `statement`'s columns, as a function of a raw row. Names from the statement's own
 * columns (our SQL), each written as a JSON string; `__proto__` computed, so that it makes a property like any
 * other column, not the object's prototype. A name twice: the later column's value, as better-sqlite3's rows have.
 */
function rowOf(statement: Sqlite.Statement): { width: number; row: (values: unknown[]) => unknown } {
  const keys = statement.columns().map(({ name }) => (name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)));
  return { width: keys.length, row: new Function('r', `return { ${keys.map((key, i) => `${key}: r[${i}]`).join(', ')} };`) as (values: unknown[]) => unknown };
}

export class StatementCache {
  readonly #db: Sqlite.Database;
  readonly #capacity: number;
  // Each statement with the tick of its last use: a hit only stamps it (moving it to the end of a Map on every
  // query cost a delete and an insert, about a microsecond a statement); the least recently used is looked for
  // only when a new text would pass the capacity.
  readonly #statements = new Map<string, { prepared: Prepared; used: number }>();
  #tick = 0;

  constructor(db: Sqlite.Database, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`statement cache capacity must be a positive integer, got ${capacity}`);
    this.#db = db;
    this.#capacity = capacity;
  }

  get(sql: string): Prepared {
    const cached = this.#statements.get(sql);
    if (cached) {
      cached.used = ++this.#tick;
      return cached.prepared;
    }
    const fresh = prepared(this.#db.prepare(sql));
    if (this.#statements.size >= this.#capacity) this.#dropLeastRecentlyUsed();
    this.#statements.set(sql, { prepared: fresh, used: ++this.#tick });
    return fresh;
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
