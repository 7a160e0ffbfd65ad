/**
 * One migrated database per test process, copied for each test. Migrating a
 * fresh SQLite file runs every migration (tens of milliseconds, far more on a
 * busy machine, for each of hundreds of tests); a copy of a migrated one costs
 * a few, and openSqlite then only checks that every migration is applied.
 *
 * With PAYFRAME_TEST_DB=postgres (the `integration-pg` project) each test's
 * database is instead a PostgreSQL database copied from the run's migrated
 * template (testing/postgres.ts, postgres-setup.ts).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, openSqlite } from '../db/open';
import type { Db } from '../db/schema';
import { cloneDatabase } from './postgres';

/** The database the tests of this process run on. */
export const testOnPostgres = process.env.PAYFRAME_TEST_DB === 'postgres';

/** A fresh, migrated database for one test: the SQLite file `dbFile`, or (on PostgreSQL) `databaseUrl`, as createRuntime takes them. */
export interface TestDatabase {
  dbFile: string;
  databaseUrl: string | undefined;
  /** Removes the PostgreSQL database (the caller removes the directory of dbFile); once nothing is connected. */
  drop(): Promise<void>;
}

export async function freshTestDatabase(dbFile: string): Promise<TestDatabase> {
  if (!testOnPostgres) {
    await copyMigratedDb(dbFile);
    return { dbFile, databaseUrl: undefined, drop: async () => {} };
  }
  const { url, drop } = await takeClone();
  // Dropped in the background: a DROP DATABASE takes a second on a busy machine, and the run's teardown drops any left.
  return { dbFile, databaseUrl: url, drop: async () => void drop().catch(() => undefined) };
}

let spare: ReturnType<typeof cloneDatabase> | undefined;

/** A copy of the template; the next one is made while the test runs (a CREATE DATABASE takes a second on a busy machine). */
function takeClone(): ReturnType<typeof cloneDatabase> {
  const clone = () => cloneDatabase(inject('postgresTemplate'), inject('postgresPrefix'));
  const taken = spare ?? clone();
  spare = clone();
  // Awaited by the next test, if there is one; the teardown drops it otherwise.
  spare.catch(() => undefined);
  return taken;
}

let template: Promise<string> | undefined;

async function migrateTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-template-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'template.db');
  // Closing the only connection checkpoints the WAL into the file and deletes it, so the file alone is the whole database.
  await (await openSqlite(file)).destroy();
  return file;
}

/** Writes an empty, migrated SQLite database to `file`, for openSqlite or createRuntime to open. */
export async function copyMigratedDb(file: string): Promise<void> {
  copyFileSync(await (template ??= migrateTemplate()), file);
}

/** An empty, migrated database in a temp directory of its own; `destroy` closes it and removes the directory. */
export async function openTestDb(): Promise<{ db: Db; dir: string; destroy(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-db-'));
  const target = await freshTestDatabase(join(dir, 'payframe.db'));
  const db = await openDatabase(target.databaseUrl ? { postgres: target.databaseUrl } : { sqlite: target.dbFile });
  return {
    db,
    dir,
    async destroy() {
      await db.destroy();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
