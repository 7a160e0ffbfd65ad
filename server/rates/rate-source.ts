/**
 * Where exchange rates come from: one interface for every source (the
 * `fixed` table and the price APIs), in BTCPay's BASE_QUOTE notation:
 * ETH_USD is the price of one ETH in US dollars.
 */

/** A crypto asset (ETH, USDT: the coin, whatever network it travels on) priced in a fiat currency (USD). */
export interface Pair {
  base: string;
  quote: string;
}

export interface FetchedRate {
  /** Decimal text, exact as the source wrote it. */
  rate: string;
  /** When the source says the price was current (epoch ms); the time of the answer when it does not say. */
  fetchedAt: number;
}

export interface RateSource {
  /** The name RATE_SOURCES and stored quotes use: "fixed", "coingecko", "kraken", "coinbase". */
  readonly id: string;
  /** The rate of `pair`, or a RateError saying why there is none. */
  rate(pair: Pair): Promise<FetchedRate>;
}

/** A source has no usable rate: it failed, timed out, answered garbage, or its rate is too old. */
export class RateError extends Error {
  override readonly name = 'RateError';
}

export const pairName = (p: Pair): string => `${p.base}_${p.quote}`;

/**
 * The asset a currency code prices as: Calypso's suffix names the network
 * (USDT_MATIC is USDT on Polygon), and the price of USDT does not depend on it.
 */
export const assetOf = (currencyCode: string): string => currencyCode.split('_')[0]!;
