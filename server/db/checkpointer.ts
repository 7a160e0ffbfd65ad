/**
 * WAL checkpoints on a worker thread. SQLite copies the WAL back into the
 * database file (and syncs it) when the WAL passes 1,000 pages, inside the
 * commit that passed it: a pause of tens of milliseconds on the thread that
 * serves every request, every few hundred invoices. Here a worker with a
 * connection of its own runs a PASSIVE checkpoint every `intervalMs` (25 ms
 * by default), which neither waits for the writer nor blocks it.
 *
 * Only a checkpoint that found nothing written while it ran lets the next
 * write start the WAL over; under steady writes the worker's rarely do, and
 * the WAL would grow for as long as they last. So the serving connection
 * keeps a backstop: past 20,000 pages (80 MB) it checkpoints in its commit,
 * as SQLite does past 1,000 by default, and being the writer's own, that
 * checkpoint lets the next write start the WAL over. It copies what the
 * worker has not yet, and syncs the database file: the longer the worker's
 * interval, the more it copies (at 100 ms, 9–29 ms a backstop, growing with
 * the database; at 25 ms, 3–13 ms, in one-off runs of steady creation), and
 * the larger the WAL may grow, the fewer backstops there are.
 *
 * If the worker cannot start, or stops on its own, the serving connection
 * checkpoints again as SQLite does by default, so the WAL never grows without
 * bound.
 */
import { sql } from 'kysely';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { Db } from './schema';

/** SQLite's own default, which the serving connection returns to without the worker. */
const AUTOCHECKPOINT_PAGES = 1000;
/** With the worker: the WAL's length at which the serving connection checkpoints after all. */
const BACKSTOP_PAGES = 20 * AUTOCHECKPOINT_PAGES;

export interface Checkpointer {
  /** Ends the worker; the serving connection checkpoints by itself again. */
  stop(): Promise<void>;
}

export async function checkpointOffThread(db: Db, file: string, log: Logger, intervalMs = 25): Promise<Checkpointer> {
  const autocheckpoint = (pages: number) => sql.raw(`pragma wal_autocheckpoint = ${pages}`).execute(db);
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs } });
  let stopping = false;
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (err: Error) => log.error('the WAL checkpoint worker failed', { error: err.message }));
  worker.on('message', (m: { failed?: string }) => {
    if (m.failed) log.warn('a WAL checkpoint failed; the next one tries again', { error: m.failed });
  });
  const ready = new Promise<boolean>((resolve) => {
    worker.once('message', (m: { ready?: boolean }) => resolve(m.ready === true));
    void ended.then(() => resolve(false));
  });
  if (!(await ready)) {
    log.warn('the WAL checkpoint worker did not start; SQLite checkpoints on the serving thread');
    return { stop: async () => {} };
  }
  await autocheckpoint(BACKSTOP_PAGES);
  void ended.then(async () => {
    if (stopping) return;
    log.warn('the WAL checkpoint worker stopped; SQLite checkpoints on the serving thread again');
    await autocheckpoint(AUTOCHECKPOINT_PAGES).catch(() => {});
  });
  return {
    async stop() {
      if (stopping) return ended;
      stopping = true;
      await autocheckpoint(AUTOCHECKPOINT_PAGES);
      worker.postMessage('stop');
      await ended;
    },
  };
}
