interface Waiter {
  wake: () => void;
  next: Waiter | undefined;
}

/**
 * A mutex that, on release, hands itself straight to the longest waiter.
 *
 * Kysely's SQLite driver resolves one shared promise on unlock: every waiter
 * wakes, one wins and the rest wait again, so N waiters cost N² wake-ups, and
 * a caller that arrives at the moment of release can take the lock ahead of
 * the queue. Here a release resolves exactly one waiter, and the lock never
 * becomes free while someone waits, so holders follow arrival order.
 */
export class FifoLock {
  #held = false;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((wake) => {
      const waiter: Waiter = { wake, next: undefined };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
    });
  }

  release(): void {
    // A release without a holder would hand the connection to a second user while the first still has it.
    if (!this.#held) throw new Error('FifoLock.release() called while the lock is free: release only what acquire() gave you');
    const next = this.#head;
    if (!next) {
      this.#held = false;
      return;
    }
    this.#head = next.next;
    if (!this.#head) this.#tail = undefined;
    next.wake();
  }
}
