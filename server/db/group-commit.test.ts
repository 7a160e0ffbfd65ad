import Sqlite from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../testing/temp-dir';
import { batchWrites, groupCommit, type BatchWrites } from './group-commit';
import type { Db } from './schema';
import { PayframeSqliteDialect } from './sqlite-dialect';

interface TestDb {
  items: { id: Generated<number>; label: string };
}

describe('groupCommit on SQLite', () => {
  const tmp = tempDirPerTest('payframe-group-commit-');
  let db: Kysely<TestDb>;
  let group: ReturnType<typeof groupCommit>;
  let executed: string[];
  /** Another connection to the file, as another process would have: it sees only what is committed. */
  let outside: Sqlite.Database;
  beforeEach(() => {
    executed = [];
    const database = new Sqlite(tmp.path('db.sqlite'), { verbose: (statement) => executed.push(String(statement)) });
    database.pragma('journal_mode = WAL');
    database.exec('create table items (id integer primary key, label text not null unique)');
    executed = [];
    db = new Kysely<TestDb>({ dialect: new PayframeSqliteDialect({ database }) });
    group = groupCommit(db as unknown as Db);
    outside = new Sqlite(tmp.path('db.sqlite'), { readonly: true });
  });
  afterEach(async () => {
    outside.close();
    await db.destroy();
  });

  const insert = (label: string) => (q: Kysely<any>) => (q as Kysely<TestDb>).insertInto('items').values({ label }).returning('id').executeTakeFirstOrThrow();
  const committed = () => outside.prepare('select label from items order by id').pluck().all();
  const count = (statement: string) => executed.filter((s) => s === statement).length;

  it('runs the units handed over in one turn as one transaction with one commit, each settling once it is committed', async () => {
    const seenAtSettle: unknown[][] = [];
    const labels = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.all(labels.map((label) => group.transaction(insert(label)).then((row) => (seenAtSettle.push(committed()), row))));
    expect(results.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(count('begin immediate')).toBe(1);
    expect(count('commit')).toBe(1);
    // Every caller heard back only when another connection could read every row of the batch.
    for (const seen of seenAtSettle) expect(seen).toEqual(labels);
  });

  it('rolls back a unit that throws, alone: its caller gets its error, the others are committed', async () => {
    const outcomes = await Promise.allSettled([
      group.transaction(insert('a')),
      group.transaction(async (trx) => {
        await insert('half-done')(trx);
        throw new Error('refused');
      }),
      // The unique label: SQLite refuses the statement, the unit fails.
      group.statement(insert('a')),
      group.statement(insert('b')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(committed()).toEqual(['a', 'b']);
    expect(count('commit')).toBe(1);
    // Run first without savepoints, rolled back when the second unit threw, then run again from its start: the
    // two transactions with a savepoint each, the two statements, refused or not, with none.
    expect(count('begin immediate')).toBe(2);
    expect(count('rollback')).toBe(1);
    expect(count('savepoint unit')).toBe(2);
    expect(count('rollback to unit')).toBe(1);
  });

  it('runs a batch in which no unit throws without a savepoint', async () => {
    await Promise.all([group.transaction(insert('a')), group.statement(insert('b')), group.transaction(insert('c'))]);
    expect(committed()).toEqual(['a', 'b', 'c']);
    expect(count('begin immediate')).toBe(1);
    expect(count('savepoint unit')).toBe(0);
    expect(count('rollback')).toBe(0);
  });

  it('runs every unit of a batch again after one threw, each once more, and commits what the second run wrote', async () => {
    const runs = { before: 0, failing: 0, after: 0 };
    const outcomes = await Promise.allSettled([
      group.transaction(async (trx) => (runs.before++, insert(`before-${runs.before}`)(trx))),
      group.transaction(async (trx) => {
        runs.failing++;
        await insert(`half-done-${runs.failing}`)(trx);
        throw new Error('refused');
      }),
      group.transaction(async (trx) => (runs.after++, insert(`after-${runs.after}`)(trx))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The first run stopped at the unit that threw; the second ran all three.
    expect(runs).toEqual({ before: 2, failing: 2, after: 1 });
    expect(committed()).toEqual(['before-2', 'after-1']);
    expect(count('commit')).toBe(1);
  });

  it('fails the whole batch when a statement fails with an error that may have ended the transaction', async () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const outcomes = await Promise.allSettled([
      group.transaction(insert('a')),
      group.statement(async () => {
        throw full;
      }),
      group.statement(insert('b')),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : 'ok'))).toEqual([full, full, full]);
    expect(committed()).toEqual([]);
  });

  it('runs units in the order they came, each seeing what the ones before it wrote; a later turn makes the next batch', async () => {
    const first = group.transaction(insert('a'));
    const sawA = group.transaction(async (trx) => (await sql<{ n: number }>`select count(*) as n from items where label = 'a'`.execute(trx)).rows[0]!.n);
    await Promise.all([first, sawA]);
    expect(await sawA).toBe(1);
    await group.transaction(insert('b'));
    expect(count('begin immediate')).toBe(2);
    expect(count('commit')).toBe(2);
  });

  /** One unit per turn of the event loop, as requests arriving one after another; settles once all have. */
  const arriving = (labels: string[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      const units: Promise<unknown>[] = [];
      const arrive = (i: number) => {
        if (i === labels.length) return void Promise.all(units).then(resolve, reject);
        // The next arrival is queued before the batch's own turn, as the next request's I/O is.
        setImmediate(() => arrive(i + 1));
        units.push(group.transaction(insert(labels[i]!)));
      };
      setImmediate(() => arrive(0));
    });

  it('waits a few more turns while each brings more units (a busy server), then commits them all at once', async () => {
    await arriving(['a', 'b', 'c']);
    expect(committed()).toEqual(['a', 'b', 'c']);
    expect(count('commit')).toBe(1);
  });

  it('holds a batch back for at most four turns more, however steadily units keep coming', async () => {
    // The units of five turns each: the first's and four more.
    await arriving(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    expect(committed()).toHaveLength(12);
    expect(count('commit')).toBe(3);
  });

  describe('writes left to the batch', () => {
    /** Labels inserted together at the end of the batch, one statement for all. */
    class Labels implements BatchWrites {
      readonly labels: string[] = [];
      async write(trx: Parameters<BatchWrites['write']>[0]) {
        await (trx as unknown as Kysely<TestDb>).insertInto('items').values(this.labels.map((label) => ({ label }))).execute();
      }
    }
    /** A unit that leaves its label to the batch when it may, or inserts it itself; says which. */
    const leave = (label: string) => async (trx: Parameters<BatchWrites['write']>[0]) => {
      const later = batchWrites(trx, 'labels', () => new Labels());
      if (later) later.labels.push(label);
      else await insert(label)(trx as unknown as Kysely<any>);
      return later ? 'left' : 'itself';
    };

    it('are written once, together, after the last unit and before the commit', async () => {
      const outcomes = await Promise.all([group.transaction(leave('a')), group.statement(insert('b')), group.transaction(leave('c'))]);
      expect(outcomes).toEqual(['left', expect.objectContaining({ id: 1 }), 'left']);
      // b, inserted by its unit, came first; a and c in one insert after it.
      expect(committed()).toEqual(['b', 'a', 'c']);
      expect(executed.filter((s) => s.startsWith('insert into "items"'))).toEqual([`insert into "items" ("label") values ('b') returning "id"`, `insert into "items" ("label") values ('a'), ('c')`]);
      expect(count('commit')).toBe(1);
    });

    it('that fail make the batch run again with savepoints, each unit writing its own rows, and fail only their unit', async () => {
      // The label is unique: "dup" twice fails, together or not.
      const outcomes = await Promise.allSettled([group.transaction(leave('a')), group.transaction(leave('dup')), group.transaction(leave('dup')), group.transaction(leave('b'))]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual(['itself', 'itself', 'failed', 'itself']);
      expect(committed()).toEqual(['a', 'dup', 'b']);
      expect(count('rollback')).toBe(1);
      expect(count('commit')).toBe(1);
    });
  });

  it('fails every unit of a batch whose commit fails, and writes nothing of it', async () => {
    // A deferred check fails at COMMIT, after each unit released its savepoint.
    await sql`create table child (id integer primary key, item integer references items(id) deferrable initially deferred)`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
    const outcomes = await Promise.allSettled([group.transaction(insert('a')), group.statement((q) => sql`insert into child (item) values (99)`.execute(q))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect(committed()).toEqual([]);
  });
});
