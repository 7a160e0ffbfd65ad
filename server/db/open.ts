import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { Database, Db } from './schema';
import { PayframeSqliteDialect } from './sqlite-dialect';

/** Where the data lives: a SQLite file (one instance), or a PostgreSQL database that several instances share. */
export type DatabaseTarget = { sqlite: string } | { postgres: string };

/** Opens the database of `target` and migrates it. */
export function openDatabase(target: DatabaseTarget): Promise<Db> {
  return 'sqlite' in target ? openSqlite(target.sqlite) : openPostgres(target.postgres);
}

/**
 * Opens (or creates) the SQLite database at `file` and migrates it. The
 * migrator skips what is applied, so an already migrated file — a restart, or
 * a copy of the tests' template (testing/template-db.ts) — only pays the check.
 */
export async function openSqlite(file: string): Promise<Db> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Statement journals in memory: a group commit's batch run again after a unit threw (group-commit.ts) has each
  // unit in a savepoint, and SQLite journals the pages it changes that earlier units had changed; on a busy
  // server that journal outgrew its in-memory start and went to a temp file, and writing it was a third of what
  // inserting an invoice cost.
  sqlite.pragma('temp_store = MEMORY');
  return migrated(new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database: sqlite }) }));
}

const INT8_OID = 20;

/**
 * Node-postgres reads BIGINT as a string (it may exceed 2^53). Payframe's
 * BIGINT columns hold epoch ms, counts, ids and block numbers, all far below:
 * read as numbers, as SQLite gives them. A value that is not safe is an error,
 * never a rounded number. Amounts are TEXT and untouched.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`a BIGINT column holds ${text}, beyond what a JavaScript number keeps exactly`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/**
 * Connects to the PostgreSQL database of `url` (postgres://user@host:port/db;
 * `?options=-c search_path=NAME` selects a schema) and migrates it. Instances
 * starting together are safe: Kysely's PostgreSQL migrator runs every pending
 * migration in one transaction under an advisory lock (pg_advisory_xact_lock),
 * so one applies them and the others then find them applied.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client whose connection breaks (a database restart) emits 'error' on the pool; unheard, it would end the process.
  pool.on('error', () => {});
  return migrated(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }));
}

async function migrated(db: Db): Promise<Db> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}
