/** Time, injected everywhere it matters so tests can hold it still or move it on. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
