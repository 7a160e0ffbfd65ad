import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../testing/temp-dir';
import { groupCommit } from './group-commit';
import { openSqlite } from './open';

/** SQLite's temp files this process holds open (it unlinks them at once: they show as "(deleted)"). */
const openTempFiles = () =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.includes('etilqs_'));

describe('openSqlite', () => {
  const tmp = tempDirPerTest('payframe-open-');

  it.runIf(existsSync('/proc/self/fd'))('keeps the statement journals of a group commit in memory: its savepoints write no temp file', async () => {
    const db = await openSqlite(tmp.path('payframe.db'));
    try {
      await sql`CREATE TABLE scratch (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
      await sql`CREATE INDEX scratch_by_value ON scratch (value)`.execute(db);
      const row = () => ({ key: Math.random().toString(36), value: Math.random().toString(36).repeat(20) });
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 2000; i++) await sql`INSERT INTO scratch VALUES (${row().key}, ${row().value})`.execute(trx);
      });
      // Units on random keys, each a savepoint over pages the ones before it changed: the journal grows past its
      // in-memory start (with SQLite's default temp_store, a file in /var/tmp by here). The batch runs with
      // savepoints only after a unit threw: the last one throws, so it runs again with them.
      const seen = new Set<string>();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          groupCommit(db).transaction(async (trx) => {
            for (let k = 0; k < 3; k++) await sql`INSERT INTO scratch VALUES (${row().key}, ${row().value})`.execute(trx);
            for (const file of openTempFiles()) seen.add(file);
            if (i === 59) throw new Error('the last unit fails');
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
      expect([...seen]).toEqual([]);
      expect((await sql<{ n: number }>`SELECT count(*) AS n FROM scratch`.execute(db)).rows[0]!.n).toBe(2177);
    } finally {
      await db.destroy();
    }
  });
});
