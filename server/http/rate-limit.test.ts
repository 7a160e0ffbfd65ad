import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/harness';
import { ConcurrencyCap, RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next token', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(2, 4, clock);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    clock.advance(500);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(1, 1, new FakeClock());
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
  });

  it('answers how long to wait without taking a token', () => {
    const limiter = new RateLimiter(1 / 60, 2, new FakeClock());
    expect(limiter.wait('k')).toBe(0);
    limiter.take('k');
    limiter.take('k');
    expect(limiter.wait('k')).toBe(60);
    expect(limiter.wait('k')).toBe(60);
  });
});

describe('ConcurrencyCap', () => {
  it('holds at most max per key, and a release frees one place once', () => {
    const cap = new ConcurrencyCap(2);
    const first = cap.acquire('x')!;
    expect(cap.acquire('x')).not.toBeNull();
    expect(cap.acquire('x')).toBeNull();
    expect(cap.acquire('y')).not.toBeNull();
    first();
    first();
    expect(cap.acquire('x')).not.toBeNull();
    expect(cap.acquire('x')).toBeNull();
  });
});
