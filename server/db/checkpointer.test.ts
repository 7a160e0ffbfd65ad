import { sql } from 'kysely';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../logger';
import { tempDirPerTest } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { checkpointOffThread } from './checkpointer';
import { openSqlite } from './open';
import type { Db } from './schema';

describe('WAL checkpoints on a worker thread', () => {
  const tmp = tempDirPerTest('payframe-checkpointer-');
  let db: Db | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  const autocheckpoint = async (d: Db) => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(d)).rows[0]!.wal_autocheckpoint;
  /** About 4 MB in the WAL, in 40 commits. */
  const write = async (d: Db) => {
    await sql`create table filler (id integer primary key, body text not null)`.execute(d);
    for (let i = 0; i < 40; i++) await sql`insert into filler (body) select ${'x'.repeat(1000)} from (with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select i from n)`.execute(d);
  };

  it('copies the WAL into the database file while the serving connection never checkpoints', async () => {
    const file = tmp.path('payframe.db');
    db = await openSqlite(file);
    const checkpointer = await checkpointOffThread(db, file, silentLogger, 10);
    // Only a backstop on the serving connection: it checkpoints if the WAL passes 20,000 pages.
    expect(await autocheckpoint(db)).toBe(20_000);
    const before = statSync(file).size;
    await write(db);
    // Only a checkpoint writes pages into the database file, and this connection makes none below 20,000 pages
    // (about 1,000 are written): the worker did.
    await waitFor(() => statSync(file).size > before + 3_000_000, { what: 'the database file to receive the WAL' });
    expect((await sql<{ n: number }>`select count(*) as n from filler`.execute(db)).rows).toEqual([{ n: 4000 }]);
    await checkpointer.stop();
    // Stopped, it leaves the checkpoints to SQLite again (its default, 1,000 pages).
    expect(await autocheckpoint(db)).toBe(1000);
  });

  it('leaves the checkpoints to SQLite when the worker cannot start, and says so', async () => {
    const file = tmp.path('payframe.db');
    db = await openSqlite(file);
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const checkpointer = await checkpointOffThread(db, tmp.path('no-such.db'), log, 10);
    expect(await autocheckpoint(db)).toBe(1000);
    expect(warnings).toEqual(['the WAL checkpoint worker did not start; SQLite checkpoints on the serving thread']);
    await checkpointer.stop();
  });
});
