// The checkpoint worker (checkpointer.ts): its own connection to the SQLite file, copying what the WAL holds
// into the database file every `intervalMs`. Plain JavaScript, so that it starts on plain Node (no TypeScript
// loader in a worker).
import Sqlite from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData;
const db = new Sqlite(file, { fileMustExist: true });
// As the serving connection has it: the checkpoint syncs the database file, not every WAL frame before it.
db.pragma('synchronous = NORMAL');
// PASSIVE: copies the frames no reader still needs, and never waits for the writer or blocks it.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ failed: err instanceof Error ? err.message : String(err) });
  }
}, intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
