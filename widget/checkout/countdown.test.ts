import { describe, expect, it } from 'vitest';
import { createCountdown, type Timers } from './countdown';

/** A monotonic clock and timers that fire `lateBy(n)` ms after they are due, as busy browsers do. */
function fakeTime(lateBy: (n: number) => number = () => 0) {
  let now = 1_000;
  let pending: { fn: () => void; at: number } | undefined;
  let fired = 0;
  const timers: Timers = {
    setTimeout(fn, ms) {
      pending = { fn, at: now + Math.max(0, ms) + lateBy(fired++) };
      return pending;
    },
    clearTimeout(handle) {
      if (pending === handle) pending = undefined;
    },
  };
  return {
    timers,
    monotonic: () => now,
    advance(ms: number) {
      now += ms;
    },
    /** Runs the next timer, moving the clock to when it fires; false when none is set. */
    fireNext(): boolean {
      const p = pending;
      if (!p) return false;
      pending = undefined;
      now = Math.max(now, p.at);
      p.fn();
      return true;
    },
  };
}

describe('createCountdown', () => {
  it('counts from the server clock, not the buyer clock', () => {
    const t = fakeTime();
    const serverNow = Date.parse('2026-01-01T00:00:00Z');
    const c = createCountdown({ expiresAt: serverNow + 90_500, serverNow, monotonic: t.monotonic, timers: t.timers });
    expect(c.seconds()).toBe(91);
  });

  it('steps down by exactly one second per tick even when timers fire late', () => {
    const jitter = [0, 180, 950, 3, 499, 720, 60, 940, 10, 333];
    const t = fakeTime((n) => jitter[n % jitter.length]!);
    const c = createCountdown({ expiresAt: 30_000, serverNow: 0, monotonic: t.monotonic, timers: t.timers });
    const shown: number[] = [];
    c.run((s) => shown.push(s));
    while (t.fireNext());
    expect(shown[0]).toBe(30);
    expect(shown.at(-1)).toBe(0);
    for (let i = 1; i < shown.length; i++) expect(shown[i - 1]! - shown[i]!).toBe(1);
  });

  it('never goes up', () => {
    const t = fakeTime();
    let clockSkew = 0;
    const c = createCountdown({ expiresAt: 10_000, serverNow: 0, monotonic: () => t.monotonic() + clockSkew, timers: t.timers });
    expect(c.seconds()).toBe(10);
    t.advance(2_000);
    expect(c.seconds()).toBe(8);
    clockSkew = -5_000;
    expect(c.seconds()).toBe(8);
  });

  it('stops at zero and sets no more timers', () => {
    const t = fakeTime();
    const c = createCountdown({ expiresAt: 2_000, serverNow: 0, monotonic: t.monotonic, timers: t.timers });
    const shown: number[] = [];
    c.run((s) => shown.push(s));
    while (t.fireNext());
    expect(shown).toEqual([2, 1, 0]);
  });

  it('stops ticking when stopped', () => {
    const t = fakeTime();
    const c = createCountdown({ expiresAt: 60_000, serverNow: 0, monotonic: t.monotonic, timers: t.timers });
    const shown: number[] = [];
    const stop = c.run((s) => shown.push(s));
    t.fireNext();
    stop();
    expect(t.fireNext()).toBe(false);
    expect(shown).toEqual([60, 59]);
  });

  it('shows zero for an invoice that expired before the page opened', () => {
    const t = fakeTime();
    const c = createCountdown({ expiresAt: 1_000, serverNow: 5_000, monotonic: t.monotonic, timers: t.timers });
    expect(c.seconds()).toBe(0);
  });
});
