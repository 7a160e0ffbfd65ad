import type Sqlite from 'better-sqlite3';
import {
  AbortedTransactionError,
  CompiledQuery,
  createQueryId,
  IdentifierNode,
  RawNode,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { FifoLock } from './fifo-lock';
import { StatementCache } from './statement-cache';

export interface PayframeSqliteConfig {
  /** The one connection; the driver owns it from here on and closes it on `db.destroy()`. */
  database: Sqlite.Database;
  /** Prepared statements kept, by SQL text. */
  statementCacheSize?: number;
}

/**
 * Kysely's SQLite dialect with a driver of our own: statements prepared once
 * per SQL text, a lock that passes the connection to waiters in arrival order,
 * and transactions that take SQLite's write lock at BEGIN.
 *
 * ```ts
 * const db = new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database: new Sqlite(file) }) });
 * ```
 */
export class PayframeSqliteDialect implements Dialect {
  readonly #config: PayframeSqliteConfig;
  #connection: SqliteConnection | undefined;

  constructor(config: PayframeSqliteConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    const driver = new PayframeSqliteDriver(this.#config.database, this.#config.statementCacheSize ?? 500);
    this.#connection = driver.connection;
    return driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    const adapter = new SqliteAdapter();
    dialectOf.set(adapter, this);
    return adapter;
  }

  /** The driver's one connection, once Kysely has created the driver. */
  get connection(): SqliteConnection | undefined {
    return this.#connection;
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

const dialectOf = new WeakMap<DialectAdapter, PayframeSqliteDialect>();

/**
 * Where `q` is a transaction on this driver (it holds the one connection), a
 * compiled query run on that connection at once: the same statement, without
 * Kysely's executor around it (a provider, its lock's promise chain, a plugin
 * pass with no plugins), which cost twice what SQLite took for a read by
 * primary key. Undefined elsewhere (another dialect, or the database itself,
 * where the connection must be waited for): run it through Kysely. For
 * queries that need no plugin: Payframe's Kysely has none.
 */
export function runOnHeldConnection(q: Kysely<any>): ((query: CompiledQuery) => QueryResult<any>) | undefined {
  if (!q.isTransaction) return undefined;
  const connection = dialectOf.get(q.getExecutor().adapter)?.connection;
  return connection && ((query) => connection.run(query));
}

class PayframeSqliteDriver implements Driver {
  readonly #db: Sqlite.Database;
  readonly #statements: StatementCache;
  readonly connection: SqliteConnection;
  readonly #lock = new FifoLock();

  constructor(db: Sqlite.Database, statementCacheSize: number) {
    this.#db = db;
    this.#statements = new StatementCache(db, statementCacheSize);
    this.connection = new SqliteConnection(db, this.#statements);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE takes the write lock now: if another process holds the file, the
    // transaction fails here, before any of its statements ran, instead of at
    // its first write; and a read-then-write transaction can never meet
    // SQLITE_BUSY_SNAPSHOT halfway, which busy_timeout does not retry.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // Some errors make SQLite roll the transaction back by itself (ON CONFLICT
    // ROLLBACK, a full disk); if the callback caught one, say so the way
    // Kysely's Driver contract asks rather than "cannot commit - no transaction is active".
    if (!this.#db.inTransaction) throw new AbortedTransactionError();
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Same case: a ROLLBACK with nothing open would throw and hide the error that caused it.
    if (this.#db.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('savepoint', name), createQueryId()));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('rollback to', name), createQueryId()));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('release', name), createQueryId()));
  }

  async destroy(): Promise<void> {
    this.#statements.clear();
    this.#db.close();
  }
}

/** The name goes in as an identifier so that the compiler quotes it. */
function savepointCommand(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

class SqliteConnection implements DatabaseConnection {
  readonly #db: Sqlite.Database;
  readonly #statements: StatementCache;

  constructor(db: Sqlite.Database, statements: StatementCache) {
    this.#db = db;
    this.#statements = statements;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.run<R>(query);
  }

  run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const { statement, rows } = this.#statements.get(sql);
    if (rows) return { rows: rows(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>({ sql, parameters, query }: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query)) throw new Error('the SQLite driver streams select queries only');
    // A statement of its own, not the cache's: an iterating statement is busy
    // until the stream ends, and the same SQL may run meanwhile in the same transaction.
    for (const row of this.#db.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }
}
