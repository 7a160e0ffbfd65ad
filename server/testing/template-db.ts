/**
 * One migrated database per test process, copied for each test. Migrating a
 * fresh SQLite file runs every migration (tens of milliseconds, far more on a
 * busy machine, for each of hundreds of tests); a copy of a migrated one costs
 * a few, and openSqlite then only checks that every migration is applied.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../db/open';
import type { Db } from '../db/schema';

let template: Promise<string> | undefined;

async function migrateTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-template-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'template.db');
  // Closing the only connection checkpoints the WAL into the file and deletes it, so the file alone is the whole database.
  await (await openSqlite(file)).destroy();
  return file;
}

/** Writes an empty, migrated database to `file`, for openSqlite or createRuntime to open. */
export async function copyMigratedDb(file: string): Promise<void> {
  copyFileSync(await (template ??= migrateTemplate()), file);
}

/** An empty, migrated database in a temp directory of its own; `destroy` closes it and removes the directory. */
export async function openTestDb(): Promise<{ db: Db; dir: string; destroy(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-db-'));
  const file = join(dir, 'payframe.db');
  await copyMigratedDb(file);
  const db = await openSqlite(file);
  return {
    db,
    dir,
    async destroy() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
