/**
 * The countdown to an invoice's expiry.
 *
 * It counts on the server's clock, carried forward by a monotonic clock: the
 * buyer's wall clock may be minutes off, and it can be adjusted while the page
 * is open, but `performance.now()` only moves forward. Ticks are scheduled just
 * after each whole-second boundary of the remaining time instead of every
 * 1000 ms — an interval timer fires a little late each time and then shows
 * 0:10 → 0:08. And the value shown never goes up.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The browser's own timers, for the page entries (main.tsx, picker-main.tsx). */
export const browserTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };

export interface CountdownOptions {
  /** Epoch ms on the server's clock. */
  expiresAt: number;
  /** The server's clock when it rendered the page (or answered). */
  serverNow: number;
  /** Milliseconds from a monotonic clock, such as `performance.now`. */
  monotonic: () => number;
  timers?: Timers;
}

/** Lands a tick safely after the boundary, whatever the timer's granularity. */
const AFTER_BOUNDARY_MS = 25;

export function createCountdown(opts: CountdownOptions) {
  const timers = opts.timers ?? (globalThis as unknown as Timers);
  const anchor = opts.monotonic();
  let shown = Number.POSITIVE_INFINITY;
  const remainingMs = () => opts.expiresAt - opts.serverNow - (opts.monotonic() - anchor);

  /** Whole seconds left, rounded up, never more than the last answer. */
  function seconds(): number {
    shown = Math.min(shown, Math.max(0, Math.ceil(remainingMs() / 1000)));
    return shown;
  }

  /** Calls `onTick` now and at every change until zero; returns the stop function. */
  function run(onTick: (seconds: number) => void): () => void {
    let handle: unknown;
    const tick = () => {
      const s = seconds();
      onTick(s);
      if (s > 0) handle = timers.setTimeout(tick, remainingMs() - (s - 1) * 1000 + AFTER_BOUNDARY_MS);
    };
    tick();
    return () => timers.clearTimeout(handle);
  }

  return { seconds, run };
}

type Countdown = ReturnType<typeof createCountdown>;
