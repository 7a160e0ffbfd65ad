/**
 * Child public keys derived ahead, on a worker thread. Invoice addresses are
 * taken in order (an index reserved by one atomic statement, the next one for
 * the next invoice), so the keys the next invoices need are known before
 * they are asked for: the worker derives the next few hundred while the
 * serving thread answers requests, and an invoice's derivation becomes a
 * lookup. Nothing is reserved ahead: an index is handed out only by the
 * counter, as before, so the HD gap is what it was; a key derived ahead and
 * never asked for (an index another instance took) is only forgotten.
 *
 * The worker is an optimisation, never a dependency: an index it has not
 * derived yet, or one it could not (BIP-32's invalid cases), is derived on
 * the calling thread, and a worker that cannot start or dies leaves every
 * derivation there.
 */
import { Worker } from 'node:worker_threads';

/** How many keys one request to the worker derives, and how few may be left before the next is sent. */
const AHEAD = 256;
const LOW_WATER = 64;

let worker: Worker | null | undefined;
const replies = new Map<number, (points: Uint8Array | undefined) => void>();
let nextId = 0;

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const started = new Worker(new URL('./derive-ahead-worker.mjs', import.meta.url));
    started.on('message', ({ id, points }: { id: number; points: Uint8Array }) => {
      replies.get(id)?.(points);
      replies.delete(id);
    });
    const failed = () => {
      worker = null;
      for (const reply of replies.values()) reply(undefined);
      replies.clear();
    };
    started.on('error', failed);
    started.on('exit', failed);
    // Nobody waits for it: a process with nothing else to do exits.
    started.unref();
    return (worker = started);
  } catch {
    return (worker = null);
  }
}

export interface DerivedAhead {
  /** The key of `index` if the worker has derived it (then it is forgotten here: each index is asked for once); asks for more when few are left. */
  take(index: number): Uint8Array | undefined;
  /** Settles once no request to the worker is out (for tests). */
  settled(): Promise<void>;
}

/** Keys of the parent (`publicKey`, `chainCode`) derived ahead, compressed (33 bytes) or not (65). */
export function deriveAhead(publicKey: Uint8Array, chainCode: Uint8Array, compressed: boolean): DerivedAhead {
  const size = compressed ? 33 : 65;
  const ready = new Map<number, Uint8Array>();
  /** The end (exclusive) of the indexes asked of the worker so far. */
  let askedTo = 0;
  let out: Promise<void> | undefined;

  const ask = (from: number) => {
    const w = theWorker();
    if (!w) return;
    const id = nextId++;
    askedTo = from + AHEAD;
    out = new Promise<void>((resolve) => {
      replies.set(id, (points) => {
        out = undefined;
        for (let i = 0; points && i < AHEAD; i++) {
          const point = points.subarray(i * size, (i + 1) * size);
          if (point[0] !== 0) ready.set(from + i, point);
        }
        resolve();
      });
    });
    w.postMessage({ id, publicKey, chainCode, compressed, from, count: AHEAD });
  };

  return {
    take(index) {
      // Far behind what was asked (a new database whose counter starts again, in one process): start over from here.
      if (index + 1 < askedTo - 2 * AHEAD) {
        ready.clear();
        askedTo = 0;
      }
      const point = ready.get(index);
      if (point) ready.delete(index);
      const from = Math.max(askedTo, index + 1);
      if (!out && from - index <= LOW_WATER && from + AHEAD <= 0x8000_0000) {
        // Indexes another instance took (several on one PostgreSQL) are never asked for here.
        if (ready.size > AHEAD) for (const k of ready.keys()) if (k < index) ready.delete(k);
        ask(from);
      }
      return point;
    },
    settled: () => out ?? Promise.resolve(),
  };
}

/** Ends the worker, as a crash would: every derivation is made on the calling thread from then on (for tests). */
export async function endDeriveAhead(): Promise<void> {
  await theWorker()?.terminate();
}
