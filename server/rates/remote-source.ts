/**
 * A price API as a rate source: each request bounded by a timeout, each
 * answer kept for a while (a cache, so a busy shop does not ask for every
 * invoice), and nothing older than the staleness limit ever quoted. When
 * the API fails, the cached rate still serves while it is young enough;
 * past that the source has no rate, and Payframe refuses to quote rather
 * than guess.
 */
import type { Clock } from '../clock';
import { formatDecimal, parseDecimal } from '../money/convert';
import { pairName, RateError, type FetchedRate, type Pair, type RateSource } from './rate-source';

/** How one price API is asked, and how its answer is read (providers.ts). */
export interface Provider {
  id: string;
  defaultBaseUrl: string;
  /** The URL, below the base, that answers `pair`'s rate. */
  path(pair: Pair): string;
  /** The rate in an answer, or throws RateError naming what is wrong with it (the provider's own error message, if any). */
  read(status: number, body: string, pair: Pair): { rate: string; at?: number };
}

export interface RemoteOptions {
  clock: Clock;
  /** Abandon a request after this long. */
  timeoutMs: number;
  /** Reuse an answer for this long. */
  cacheMs: number;
  /** Never quote a rate older than this (by the provider's own timestamp when it gives one). */
  maxAgeMs: number;
  /** Another host (a local server in tests, a proxy in production). */
  baseUrl?: string | undefined;
  fetch?: typeof fetch;
}

/** Bytes of an answer read at most: a price is a few hundred. */
const MAX_BODY = 64 * 1024;
/** How much of a provider's own error text is repeated in ours. */
const MAX_REASON = 200;

export class RemoteRates implements RateSource {
  readonly id: string;
  private readonly cache = new Map<string, FetchedRate & { storedAt: number }>();
  private readonly fetch: typeof fetch;
  private readonly baseUrl: string;

  constructor(
    private readonly provider: Provider,
    private readonly opts: RemoteOptions,
  ) {
    this.id = provider.id;
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.baseUrl = (opts.baseUrl ?? provider.defaultBaseUrl).replace(/\/$/, '');
  }

  async rate(pair: Pair): Promise<FetchedRate> {
    const { clock, cacheMs, maxAgeMs } = this.opts;
    const key = pairName(pair);
    const cached = this.cache.get(key);
    const young = (r: FetchedRate) => clock.now() - r.fetchedAt <= maxAgeMs;
    if (cached && clock.now() - cached.storedAt < cacheMs && young(cached)) return { rate: cached.rate, fetchedAt: cached.fetchedAt };
    let fresh: FetchedRate;
    try {
      fresh = await this.request(pair);
    } catch (err) {
      if (cached && young(cached)) return { rate: cached.rate, fetchedAt: cached.fetchedAt };
      const why = err instanceof RateError ? err.message : 'failed';
      throw new RateError(cached ? `${why}, and its last rate (${new Date(cached.fetchedAt).toISOString()}) is too old to quote` : why);
    }
    if (!young(fresh)) throw new RateError(`its rate is from ${new Date(fresh.fetchedAt).toISOString()}, older than the ${maxAgeMs / 1000} s Payframe accepts`);
    this.cache.set(key, { ...fresh, storedAt: clock.now() });
    return fresh;
  }

  private async request(pair: Pair): Promise<FetchedRate> {
    const { timeoutMs, clock } = this.opts;
    let status: number;
    let body: string;
    try {
      const res = await this.fetch(this.baseUrl + this.provider.path(pair), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      body = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new RateError(timedOut ? `no answer within ${timeoutMs} ms` : 'the request failed (network)');
    }
    if (body.length > MAX_BODY) throw new RateError(`HTTP ${status} with an answer too large to be a price`);
    const read = this.provider.read(status, body, pair);
    const rate = parseDecimal(read.rate);
    if (!rate) throw new RateError(`HTTP ${status} with a rate that is not a positive decimal`);
    return { rate: formatDecimal(rate), fetchedAt: read.at ?? clock.now() };
  }
}

/** A provider's error text, shortened and on one line, inside ours. */
export function providerSays(status: number, message: unknown): RateError {
  const text = typeof message === 'string' && message.trim() !== '' ? `: ${message.replace(/\s+/g, ' ').slice(0, MAX_REASON)}` : '';
  return new RateError(`HTTP ${status}${text}`);
}
