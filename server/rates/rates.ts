/**
 * The rate sources RATE_SOURCES lists, asked in order: the first that has a
 * usable rate answers. When none has, there is no quote (RATE_UNAVAILABLE),
 * never a stale or made-up one.
 */
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import { FixedRates } from './fixed';
import { PROVIDERS } from './providers';
import { pairName, RateError, type FetchedRate, type Pair, type RateSource } from './rate-source';
import { RemoteRates } from './remote-source';

export const RATE_SOURCE_IDS = ['fixed', ...PROVIDERS.map((p) => p.id)] as const;

export interface RatesConfig {
  /** In order of preference, e.g. ["coingecko", "kraken"]. */
  sources: readonly string[];
  /** The fixed table (pairs BASE_QUOTE → decimal text). */
  fixed: Readonly<Record<string, string>>;
  timeoutMs: number;
  cacheMs: number;
  maxAgeMs: number;
  /** Other hosts for the providers, by id (tests; a proxy). */
  baseUrls?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
}

export interface Rate extends FetchedRate {
  source: string;
}

export type Rates = ReturnType<typeof createRates>;

export function createRates(config: RatesConfig, clock: Clock) {
  const fixed = new FixedRates(clock, config.fixed);
  const sources: RateSource[] = config.sources.map((id) => {
    if (id === 'fixed') return fixed;
    const provider = PROVIDERS.find((p) => p.id === id);
    if (!provider) throw new Error(`unknown rate source "${id}"; known: ${RATE_SOURCE_IDS.join(', ')}`);
    return new RemoteRates(provider, { clock, ...config, baseUrl: config.baseUrls?.[id] });
  });

  return {
    /** The fixed table, or undefined when RATE_SOURCES does not use it (then setting it would change nothing). */
    fixed: config.sources.includes('fixed') ? fixed : undefined,

    /** The first usable rate of `pair`, and its source; RATE_UNAVAILABLE when no source has one. */
    async rate(pair: Pair): Promise<Rate> {
      const reasons: string[] = [];
      for (const source of sources) {
        try {
          return { ...(await source.rate(pair)), source: source.id };
        } catch (err) {
          // Only a RateError's text is ours to repeat; anything else is a bug whose detail stays out of an API answer.
          reasons.push(`${source.id}: ${err instanceof RateError ? err.message : 'failed'}`);
        }
      }
      throw new DomainError('RATE_UNAVAILABLE', `no current rate for ${pairName(pair)} (${reasons.join('; ')}); try again shortly`);
    },
  };
}
