import { promiseHooks } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { FifoLock } from './fifo-lock';

interface Lock {
  acquire(): Promise<void>;
  release(): void;
}

/** Kysely 0.28's ConnectionMutex, kept here to show the counting below sees a broadcast. */
class BroadcastLock implements Lock {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  async acquire() {
    while (this.#promise) await this.#promise;
    this.#promise = new Promise((resolve) => (this.#resolve = resolve));
  }
  release() {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}

/** Records the order in which `waiters` callers, queued behind a holder, get the lock. */
async function contend(lock: Lock, waiters: number): Promise<number[]> {
  const order: number[] = [];
  await lock.acquire();
  const done = Array.from({ length: waiters }, (_, i) =>
    lock.acquire().then(() => {
      order.push(i);
      lock.release();
    }),
  );
  lock.release();
  await Promise.all(done);
  return order;
}

/**
 * Promise continuations run while `work` runs: every waiter woken is one, so
 * the count tells one wake-up per release from a wake-up of every waiter.
 */
async function continuations(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const stop = promiseHooks.onBefore(() => count++);
  try {
    await work();
  } finally {
    stop();
  }
  return count;
}

describe('FifoLock', () => {
  it('gives the lock to waiters in arrival order', async () => {
    expect(await contend(new FifoLock(), 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('hands a release to the longest waiter, not to a caller arriving at that moment', async () => {
    const lock = new FifoLock();
    const order: string[] = [];
    const take = (who: string) => () => {
      order.push(who);
      lock.release();
    };
    await lock.acquire();
    const waiting = lock.acquire().then(take('waiter'));
    lock.release();
    const arriving = lock.acquire().then(take('newcomer'));
    await Promise.all([waiting, arriving]);
    expect(order).toEqual(['waiter', 'newcomer']);
  });

  it('wakes one waiter per release, so N waiters cost O(N) continuations, not O(N²)', async () => {
    const n = 200;
    expect(await continuations(() => contend(new FifoLock(), n))).toBeLessThan(10 * n);
  });

  it('(control) the same count sees the N² wake-ups of a lock that wakes every waiter', async () => {
    const n = 200;
    expect(await continuations(() => contend(new BroadcastLock(), n))).toBeGreaterThan((n * n) / 4);
  });

  it('refuses a release while free, which would let two users hold the connection', () => {
    expect(() => new FifoLock().release()).toThrow(/while the lock is free/);
  });
});
