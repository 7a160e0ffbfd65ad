import Sqlite from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database, Db } from './schema';
import { PayframeSqliteDialect } from './sqlite-dialect';

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
  const db = new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}
