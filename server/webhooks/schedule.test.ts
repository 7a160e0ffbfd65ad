import { describe, expect, it } from 'vitest';
import { JITTER, RETRY_SCHEDULE_MS, nextAttemptAt } from './schedule';

describe('retry schedule', () => {
  it('is Calypso’s: 19 retries, 30 s first, then Fibonacci multiples of 30 s up to 125 430 s', () => {
    expect(RETRY_SCHEDULE_MS).toHaveLength(19);
    expect(RETRY_SCHEDULE_MS.slice(0, 6)).toEqual([30_000, 30_000, 60_000, 90_000, 150_000, 240_000]);
    expect(RETRY_SCHEDULE_MS.at(-1)).toBe(125_430_000);
    const totalHours = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(totalHours).toBeCloseTo(91.2, 1);
  });

  it('waits exactly the scheduled time with no jitter', () => {
    expect(nextAttemptAt(1, 1000, 0)).toBe(31_000);
    expect(nextAttemptAt(3, 0, 0)).toBe(60_000);
    expect(nextAttemptAt(19, 0, 0)).toBe(125_430_000);
  });

  it('adds at most 10 % jitter, never less than the schedule', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const at = nextAttemptAt(5, 0, r)!;
      expect(at).toBeGreaterThanOrEqual(150_000);
      expect(at).toBeLessThanOrEqual(150_000 * (1 + JITTER));
    }
  });

  it('gives up after the 19th retry', () => {
    expect(nextAttemptAt(20, 0, 0)).toBeNull();
  });

  it('follows a replacement schedule', () => {
    expect(nextAttemptAt(1, 0, 0, [200, 400])).toBe(200);
    expect(nextAttemptAt(2, 0, 0, [200, 400])).toBe(400);
    expect(nextAttemptAt(3, 0, 0, [200, 400])).toBeNull();
  });
});
