/**
 * Abuse limits, kept in this process's memory: token buckets for request
 * rates and counters for concurrent streams. Defaults (config.ts) sit far
 * above what a shop's backend or its buyers do, and well below what floods
 * the server.
 */
import type { Context } from 'hono';
import type { Clock } from '../clock';

/** A token bucket per key: `ratePerSecond` sustained, up to `burst` at once. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one token for `key`: 0 when there was one, else the seconds until there is (for Retry-After). */
  take(key: string): number {
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Like take, without taking: the seconds until `key` has a token. */
  wait(key: string): number {
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  private refill(key: string) {
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // A full bucket is the same as none: forget the idle ones before the map grows without end.
      if (this.buckets.size >= 50_000) this.sweep(now);
      this.buckets.set(key, (bucket = { tokens: this.burst, at: now }));
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    return bucket;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
  }
}

/** At most `max` holders per key at once (SSE streams per IP, per invoice). */
export class ConcurrencyCap {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A release function, or null when `key` is at its cap. */
  acquire(key: string): (() => void) | null {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return null;
    this.counts.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    };
  }
}

/**
 * The client's IP. Behind `trustProxy` proxies (a load balancer, nginx), the
 * one the nearest trusted proxy saw, from X-Forwarded-For; a client can put
 * anything in that header, so it is read only as far as our proxies wrote it.
 */
export function clientIp(c: Context, trustProxy: number): string {
  if (trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const ip = hops[hops.length - trustProxy];
    if (ip) return ip;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export interface Limits {
  /** Merchant API requests per second from one IP (burst: twice that). */
  perIp: number;
  /** Merchant API requests per second with one API key (burst: twice that). */
  perKey: number;
  /** Requests with a wrong signature per API key per minute, before the key is refused for a while. */
  failedSignaturesPerMinute: number;
  /** Open SSE streams from one IP. */
  streamsPerIp: number;
  /** Open SSE streams on one invoice. */
  streamsPerInvoice: number;
  /** Proxies in front of Payframe whose X-Forwarded-For is trusted (0: none). */
  trustProxy: number;
  /** Coins a buyer may pick on payment widgets per minute from one IP (each pick may create an invoice). */
  widgetChoicesPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = {
  perIp: 200,
  perKey: 100,
  failedSignaturesPerMinute: 20,
  streamsPerIp: 50,
  streamsPerInvoice: 20,
  trustProxy: 0,
  widgetChoicesPerMinute: 30,
};

export function createLimiters(limits: Limits, clock: Clock) {
  return {
    limits,
    perIp: new RateLimiter(limits.perIp, limits.perIp * 2, clock),
    perKey: new RateLimiter(limits.perKey, limits.perKey * 2, clock),
    failedSignatures: new RateLimiter(limits.failedSignaturesPerMinute / 60, limits.failedSignaturesPerMinute, clock),
    widgetChoices: new RateLimiter(limits.widgetChoicesPerMinute / 60, limits.widgetChoicesPerMinute, clock),
    streamsPerIp: new ConcurrencyCap(limits.streamsPerIp),
    streamsPerInvoice: new ConcurrencyCap(limits.streamsPerInvoice),
  };
}

export type Limiters = ReturnType<typeof createLimiters>;
