/**
 * Group commit: the short write transactions that concurrent requests make
 * (claiming a Sign, reserving an address index, creating an invoice) share
 * one SQLite transaction and one commit. On SQLite each commit writes every
 * page it changed to the WAL, and many of those pages (an index's last leaf,
 * a counter's row) are the same from one request to the next: a commit per
 * request wrote them again and again, and three commits per created invoice
 * were about a third of the database's time.
 *
 * Work handed to `transaction()` (or `statement()`) in one turn of the event
 * loop, or in the next few while each brings more (a busy server: up to four
 * turns), is run at the end as one batch: one BEGIN IMMEDIATE, the units, then
 * one COMMIT. Units run one after another on the one connection, as separate
 * transactions would, and each sees what the ones before it wrote (but for
 * rows it leaves to `batchWrites`, written together after the last). A unit that
 * throws has only its own caller get the error; the others go on: a
 * `statement()` that SQLite refuses is undone by SQLite itself, and a
 * `transaction()` unit that throws rolls the batch back, which is then run
 * again from its start with each `transaction()` unit in a savepoint of its
 * own, rolled back to it if it throws again. Every caller's promise settles
 * only once the batch is committed (or failed as a whole: then every unit of
 * it failed, and nothing of it is written), so nobody answers a client or
 * publishes a change before it is durable.
 *
 * A unit must only use the database: it holds the connection, and every
 * other unit of its batch waits for it. It may run twice (its batch run again
 * after another unit threw), so what it keeps outside the database it must
 * set again each time, never add to.
 *
 * On PostgreSQL each unit is its own transaction (or, for `statement()`, its
 * own statement), as before: there several instances write, row locks order
 * them, and a batch would hold every unit's locks until the last commits.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import { onPostgres } from './dialect';
import type { Database, Db } from './schema';
import { runOnHeldConnection } from './sqlite-dialect';

type Trx = Transaction<Database>;

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/** Rows the units of a batch leave to be written together, after the last unit and before the commit. */
export interface BatchWrites {
  write(trx: Trx): Promise<void>;
}

const batchWritesOf = new WeakMap<Trx, Map<string, BatchWrites>>();

/**
 * The batch's writes of kind `key` (made by `make` for the first unit that asks), when `trx` is a batch run
 * without savepoints; otherwise undefined, and the unit writes its rows itself. A batch whose writes fail, or
 * one of whose units throws, runs again with savepoints: then each unit writes its own, so that one bad row
 * fails only its unit. Rows that a later unit of the batch would read back must not be left here.
 */
export function batchWrites<W extends BatchWrites>(trx: Trx, key: string, make: () => W): W | undefined {
  const later = batchWritesOf.get(trx);
  if (!later) return undefined;
  let writes = later.get(key) as W | undefined;
  if (!writes) later.set(key, (writes = make()));
  return writes;
}

/** Thrown out of a batch run without savepoints when a unit throws: its transaction is rolled back, to be run again with them. */
const AGAIN_WITH_SAVEPOINTS = Symbol('again with savepoints');

interface Unit {
  run: (trx: Trx) => Promise<unknown>;
  /** One statement: it needs no savepoint, SQLite undoes a statement it refuses by itself. */
  single: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

// Compiled here once: three of them per unit, each built and compiled again by a sql`` template.
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit');
const RELEASE = CompiledQuery.raw('release unit');

/** More than this wait for the next batch: a batch holds SQLite's write lock, which another process (the CLI) may be waiting for. */
const MAX_BATCH = 256;
/** How many turns of the event loop a batch may wait for more units, each turn after the first only if the last brought some. */
const MAX_TURNS = 4;

export interface GroupCommit {
  /** Runs `work` as a transaction of its own would, sharing the commit with the other units of its batch. */
  transaction<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
  /** The same for work that is one statement (PostgreSQL runs it on its own, without a transaction around it). */
  statement<T>(work: (q: Db) => Promise<T>): Promise<T>;
}

const groups = new WeakMap<Db, GroupCommit>();

/** The group commit of `db`: one per database, shared by everyone who writes through it. */
export function groupCommit(db: Db): GroupCommit {
  let group = groups.get(db);
  if (!group) groups.set(db, (group = onPostgres(db) ? alone(db) : batched(db)));
  return group;
}

function alone(db: Db): GroupCommit {
  return {
    transaction: (work) => db.transaction().execute(work),
    statement: (work) => work(db),
  };
}

function batched(db: Db): GroupCommit {
  const waiting: Unit[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) schedule();
    let outcomes: Outcome[];
    try {
      // Without savepoints first: units seldom throw, and a savepoint made SQLite copy every page a unit changed
      // again (an index's last leaf, which every unit changes) into its statement journal: a created invoice's
      // three inserts took 42.5 µs with them, 33.2 without (one-off). If one throws, the batch is run again,
      // each unit in a savepoint of its own.
      outcomes = (await run(batch, false)) ?? (await run(batch, true))!;
    } catch (err) {
      // The batch failed as a whole (its commit, or an error that made SQLite roll everything back): nothing of it is written.
      for (const unit of batch) unit.reject(err);
      return;
    }
    batch.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.err);
    });
  }

  /**
   * Runs `batch` in one transaction and commits it. Without `savepoints`, a transaction unit that throws rolls
   * the whole transaction back, and the answer is undefined: run it again with them.
   */
  async function run(batch: Unit[], savepoints: boolean): Promise<Outcome[] | undefined> {
    const outcomes: Outcome[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        // Our driver's connection at once; another SQLite dialect's through Kysely.
        const held = runOnHeldConnection(trx);
        const exec = (query: CompiledQuery) => (held ? held(query) : trx.executeQuery(query));
        const later = savepoints ? undefined : new Map<string, BatchWrites>();
        if (later) batchWritesOf.set(trx, later);
        for (const unit of batch) {
          if (unit.single) {
            try {
              outcomes.push({ ok: true, value: await unit.run(trx) });
            } catch (err) {
              // A statement SQLite refused (a constraint) is undone and leaves the transaction as it was; an error of
              // SQLite's own (a full disk) may have ended it: then the batch fails with that error.
              if (endsTransaction(err)) throw err;
              outcomes.push({ ok: false, err });
            }
            continue;
          }
          if (!savepoints) {
            try {
              outcomes.push({ ok: true, value: await unit.run(trx) });
            } catch {
              throw AGAIN_WITH_SAVEPOINTS;
            }
            continue;
          }
          await exec(SAVEPOINT);
          try {
            outcomes.push({ ok: true, value: await unit.run(trx) });
          } catch (err) {
            // An error that made SQLite roll back the whole transaction (a full disk) leaves no savepoint to go back
            // to: then the batch fails with that error.
            await Promise.resolve()
              .then(() => exec(ROLLBACK_TO))
              .catch(() => Promise.reject(err));
            outcomes.push({ ok: false, err });
          }
          await exec(RELEASE);
        }
        // What the units left to write together. If it fails, no unit can be told apart as the one that failed:
        // the batch runs again with savepoints, where each unit writes its own rows.
        for (const writes of later?.values() ?? []) {
          try {
            await writes.write(trx);
          } catch (err) {
            if (endsTransaction(err)) throw err;
            throw AGAIN_WITH_SAVEPOINTS;
          }
        }
      });
    } catch (err) {
      if (err === AGAIN_WITH_SAVEPOINTS) return undefined;
      throw err;
    }
    return outcomes;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the I/O of this turn: every request that got this far in it joins the batch. While each turn brings
    // more (a busy server), a few turns more: a commit writes the pages the batch changed, and many of them (an
    // index's last leaf) are the same for all its units, so a bigger batch writes fewer per unit.
    let seen = waiting.length;
    let turns = 1;
    const next = () =>
      setImmediate(() => {
        const grew = waiting.length > seen;
        seen = waiting.length;
        if (grew && seen < MAX_BATCH && turns++ < MAX_TURNS) next();
        else void flush();
      });
    next();
  }

  function enqueue<T>(run: (trx: Trx) => Promise<T>, single: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waiting.push({ run, single, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
  }

  return { transaction: (work) => enqueue(work, false), statement: (work) => enqueue(work, true) };
}

/** Whether SQLite may have rolled back the whole transaction: any error of its own but a refused constraint. */
function endsTransaction(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') && !code.startsWith('SQLITE_CONSTRAINT');
}
