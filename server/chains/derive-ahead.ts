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

/**
 * How many keys one request to the worker derives, and how few may be left before the next is sent: the worker
 * takes about 10 ms for a range, in which a busy server creates about 60 invoices, so more than that are left.
 */
const AHEAD = 256;
const LOW_WATER = 160;

let worker: Worker | null | undefined;
const replies = new Map<number, (derived: Uint8Array | undefined) => void>();
let nextId = 0;

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const started = new Worker(new URL('./derive-ahead-worker.mjs', import.meta.url));
    started.on('message', ({ id, out }: { id: number; out: Uint8Array }) => {
      replies.get(id)?.(out);
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

/** What is derived ahead: a child public key, compressed (33 bytes) or not (65), or an EVM address (derive-ahead-worker.mjs). */
export type AheadKind = 'compressed' | 'uncompressed' | 'evm';
const SIZE: Record<AheadKind, number> = { compressed: 33, uncompressed: 65, evm: 80 };

export interface DerivedAhead {
  /**
   * What the worker derived for `index`, if it has (then it is forgotten here: each index is asked for once);
   * asks for more when few are left. For 'evm': the address as 40 lower-case hex digits, then 40 checksummed, in ASCII.
   */
  take(index: number): Uint8Array | undefined;
  /** Settles once no request to the worker is out (for tests). */
  settled(): Promise<void>;
}

/** The children of the parent (`publicKey`, `chainCode`) derived ahead. */
export function deriveAhead(publicKey: Uint8Array, chainCode: Uint8Array, kind: AheadKind): DerivedAhead {
  const size = SIZE[kind];
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
      replies.set(id, (derived) => {
        out = undefined;
        for (let i = 0; derived && i < AHEAD; i++) {
          const one = derived.subarray(i * size, (i + 1) * size);
          // Zeros: an index BIP-32 skips, left to the calling thread.
          if (one[0] !== 0) ready.set(from + i, one);
        }
        resolve();
      });
    });
    w.postMessage({ id, publicKey, chainCode, kind, from, count: AHEAD });
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
