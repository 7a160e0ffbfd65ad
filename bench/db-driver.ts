/**
 * Database driver benchmark: Kysely's SqliteDialect against ours
 * (server/db/sqlite-dialect.ts), the same workloads in the same run.
 *
 *   (a) 20,000 single-row INSERTs, each in its own transaction, 50 in flight:
 *       statement preparation and the lock's hand-over under write load.
 *   (b) 1,000 concurrent SELECTs by primary key, repeated in bursts: every
 *       waiter queued at once, the case where a lock that wakes every waiter
 *       on each release does N² wake-ups.
 *
 * Each round runs both dialects on fresh database files set up as openSqlite
 * sets them up; rounds alternate which dialect goes first so that drift on a
 * shared machine hits both alike.
 *
 *   npx tsx bench/db-driver.ts
 *   BENCH_DB_ROUNDS=5 BENCH_DB_INSERTS=50000 npx tsx bench/db-driver.ts
 */
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Dialect, type Generated } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PayframeSqliteDialect } from '../server/db/sqlite-dialect';
import { envInt, percentile, round } from './lib/stats';

const ROUNDS = envInt('BENCH_DB_ROUNDS', 3);
const INSERTS = envInt('BENCH_DB_INSERTS', 20_000);
const IN_FLIGHT = envInt('BENCH_DB_IN_FLIGHT', 50);
const WAITERS = envInt('BENCH_DB_WAITERS', 1_000);
const BURSTS = envInt('BENCH_DB_BURSTS', 10);

interface BenchDb {
  items: { id: Generated<number>; sku: string; qty: number; note: string };
}

const dialects: Record<string, (database: Sqlite.Database) => Dialect> = {
  kysely: (database) => new SqliteDialect({ database }),
  payframe: (database) => new PayframeSqliteDialect({ database }),
};

const dir = mkdtempSync(join(tmpdir(), 'payframe-bench-db-'));
let files = 0;

function open(dialect: (database: Sqlite.Database) => Dialect): Kysely<BenchDb> {
  const database = new Sqlite(join(dir, `bench-${files++}.db`));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.exec('create table items (id integer primary key, sku text not null unique, qty integer not null, note text not null)');
  return new Kysely<BenchDb>({ dialect: dialect(database) });
}

/** Wall-clock and CPU ms of `work`; CPU time is the figure the other loads on a shared machine disturb least. */
async function timed(work: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const { user, system } = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMs: (user + system) / 1000 };
}

/** (a) `inserts` one-row transactions, `IN_FLIGHT` workers issuing them back to back. */
async function insertTransactions(db: Kysely<BenchDb>, inserts: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < inserts; i = next++) {
      await db.transaction().execute((trx) => trx.insertInto('items').values({ sku: `sku-${i}`, qty: i % 7, note: 'bench' }).execute());
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** (b) `bursts` times, `waiters` SELECTs of ids 1–100 (which (a) inserted) queued at once; a burst ends with the last answer. */
async function selectBursts(db: Kysely<BenchDb>, waiters: number, bursts: number): Promise<void> {
  for (let b = 0; b < bursts; b++) {
    await Promise.all(Array.from({ length: waiters }, (_, i) => db.selectFrom('items').selectAll().where('id', '=', (i % 100) + 1).executeTakeFirstOrThrow()));
  }
}

type Workload = 'insert' | 'select';
type Sample = { wallMs: number; cpuMs: number };

async function main() {
  const names = Object.keys(dialects);
  const samples: Record<string, Record<Workload, Sample[]>> = Object.fromEntries(names.map((name) => [name, { insert: [], select: [] }]));
  console.log(
    `SQLite driver, ${ROUNDS} interleaved rounds: (a) ${INSERTS.toLocaleString('en')} one-INSERT transactions, ${IN_FLIGHT} in flight; ` +
      `(b) ${BURSTS} bursts of ${WAITERS.toLocaleString('en')} concurrent SELECTs by id, per burst`,
  );

  const runRound = async (name: string, inserts: number, bursts: number) => {
    const db = open(dialects[name]!);
    try {
      const insert = await timed(() => insertTransactions(db, inserts));
      const select = await timed(() => selectBursts(db, WAITERS, bursts));
      return { insert, select: { wallMs: select.wallMs / bursts, cpuMs: select.cpuMs / bursts } };
    } finally {
      await db.destroy();
    }
  };
  for (const name of names) await runRound(name, 2_000, 2);
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const { insert, select } = await runRound(name, INSERTS, BURSTS);
      samples[name]!.insert.push(insert);
      samples[name]!.select.push(select);
      console.log(`  round ${r + 1} ${name.padEnd(8)} (a) ${round(insert.wallMs)} ms  (b) ${round(select.wallMs)} ms`);
    }
  }

  const header = ['workload', 'dialect', 'median ms', 'min–max ms', 'CPU ms', 'rate'];
  const widths = [30, 9, 10, 18, 10, 14];
  const line = (cells: string[]) => console.log('  ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
  console.log('');
  line(header);
  const workloads: [Workload, string, (ms: number) => string][] = [
    ['insert', `(a) ${INSERTS.toLocaleString('en')} INSERT transactions`, (ms) => `${Math.round(INSERTS / (ms / 1000)).toLocaleString('en')} tx/s`],
    ['select', `(b) burst of ${WAITERS.toLocaleString('en')} SELECTs`, (ms) => `${Math.round(WAITERS / (ms / 1000)).toLocaleString('en')} q/s`],
  ];
  for (const [workload, label, rate] of workloads) {
    for (const name of names) {
      const wall = samples[name]![workload].map((s) => s.wallMs);
      const median = percentile(wall, 50);
      const cpu = percentile(samples[name]![workload].map((s) => s.cpuMs), 50);
      line([label, name, String(median), `${round(Math.min(...wall))}–${round(Math.max(...wall))}`, String(cpu), rate(median)]);
    }
  }
}

main()
  .catch((err: unknown) => {
    console.error(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
