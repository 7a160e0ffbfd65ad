/**
 * HD derivation on a worker thread. A child public key costs about 300 µs of
 * curve arithmetic, a fifth of what creating an invoice cost the one thread
 * that serves every request; on a worker it runs beside it, on another core.
 *
 * One worker per process, started on first use. If it cannot start, or dies,
 * the derivations it had and every later one run on the calling thread
 * instead (`onThread`): slower, never wrong, never stuck.
 */
import type { HDKey } from '@scure/bip32';
import { Worker } from 'node:worker_threads';

type Point = Uint8Array;
interface Waiting {
  resolve(point: Point): void;
  fallback(): void;
}

let worker: Worker | null | undefined;
const waiting = new Map<number, Waiting>();
let nextId = 0;

function give(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const started = new Worker(new URL('./derive-worker.mjs', import.meta.url));
    started.on('message', ({ id, point }: { id: number; point?: Point }) => {
      const w = waiting.get(id);
      waiting.delete(id);
      if (waiting.size === 0) started.unref();
      // No point: the worker refused the parent or the index. The calling thread's derivation says why, by throwing.
      if (point) w?.resolve(point);
      else w?.fallback();
    });
    const failed = () => {
      worker = null;
      for (const w of waiting.values()) w.fallback();
      waiting.clear();
    };
    started.on('error', failed);
    started.on('exit', failed);
    started.unref();
    return (worker = started);
  } catch {
    return (worker = null);
  }
}

/**
 * The uncompressed public key (65 bytes) of `parent`'s child `index`, as
 * `onThread(index)` computes it on this thread, computed on the worker.
 */
export function childPublicKeyOffThread(parent: HDKey, index: number, onThread: (index: number) => Point): Promise<Point> {
  const w = give();
  if (!w || !parent.publicKey || !parent.chainCode) return Promise.resolve().then(() => onThread(index));
  return new Promise<Point>((resolve, reject) => {
    const id = nextId++;
    const fallback = () => {
      try {
        resolve(onThread(index));
      } catch (err) {
        reject(err);
      }
    };
    waiting.set(id, { resolve, fallback });
    // Held while derivations are out: a process with nothing else to do must not exit under a caller's await.
    if (waiting.size === 1) w.ref();
    w.postMessage({ id, publicKey: parent.publicKey, chainCode: parent.chainCode, index });
  });
}

/** Whether derivations go to the worker (it started and has not died): for tests and diagnostics. */
export function derivingOffThread(): boolean {
  return worker !== undefined && worker !== null;
}
