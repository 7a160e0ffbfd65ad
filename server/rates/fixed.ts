/**
 * The `fixed` source: a table of rates from configuration (RATES_FIXED), the
 * sandbox's default, which POST /api/sandbox/rates changes so a demo or a
 * test can move the price. Its rates are current whenever they are read.
 */
import type { Clock } from '../clock';
import { formatDecimal, parseDecimal } from '../money/convert';
import { findFiat } from '../money/fiat';
import { pairName, RateError, type Pair, type RateSource } from './rate-source';

/** What the sandbox quotes with when RATES_FIXED says nothing: round numbers, so a demo's amounts are easy to check. */
export const DEFAULT_FIXED_RATES: Readonly<Record<string, string>> = {
  ETH_USD: '3000',
  USDT_USD: '1',
  USDC_USD: '1',
  BNB_USD: '600',
  MATIC_USD: '0.5',
  BTC_USD: '60000',
  LTC_USD: '80',
  ETH_EUR: '2800',
  USDT_EUR: '0.93',
  USDC_EUR: '0.93',
  BTC_EUR: '56000',
  LTC_EUR: '75',
};

const PAIR = /^([A-Z0-9]{2,10})_([A-Z]{3})$/;

/**
 * Reads a table of rates ({"ETH_USD": "3000"}): each pair BASE_QUOTE with an
 * ISO 4217 quote, each rate a positive decimal. Returns the canonical table,
 * or the first problem, naming the pair.
 */
export function parseRateTable(input: Record<string, string>): { ok: true; rates: Record<string, string> } | { ok: false; reason: string } {
  const rates: Record<string, string> = {};
  for (const [pair, text] of Object.entries(input)) {
    const m = PAIR.exec(pair);
    if (!m) return { ok: false, reason: `${pair}: a pair is BASE_QUOTE in capitals, e.g. ETH_USD` };
    if (!findFiat(m[2]!)) return { ok: false, reason: `${pair}: ${m[2]} is not an ISO 4217 currency` };
    const rate = typeof text === 'string' ? parseDecimal(text) : undefined;
    if (!rate || /e/i.test(text)) return { ok: false, reason: `${pair}: the rate must be a positive decimal string such as "3000" or "1.0002"` };
    rates[pair] = formatDecimal(rate);
  }
  return { ok: true, rates };
}

export class FixedRates implements RateSource {
  readonly id = 'fixed';
  private readonly table: Map<string, string>;

  constructor(
    private readonly clock: Clock,
    rates: Readonly<Record<string, string>> = DEFAULT_FIXED_RATES,
  ) {
    this.table = new Map(Object.entries(rates));
  }

  /** Sets the given pairs (others keep their rate); returns the whole table. */
  set(rates: Readonly<Record<string, string>>): Record<string, string> {
    for (const [pair, rate] of Object.entries(rates)) this.table.set(pair, rate);
    return Object.fromEntries(this.table);
  }

  async rate(pair: Pair) {
    const rate = this.table.get(pairName(pair));
    if (!rate) throw new RateError(`the fixed table has no rate for ${pairName(pair)}`);
    return { rate, fetchedAt: this.clock.now() };
  }
}
