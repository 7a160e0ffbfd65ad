/**
 * Fiat → crypto at a quoted rate, exactly: crypto = fiat ÷ rate, rounded UP
 * to the coin's scale, so the merchant never receives less than the price.
 * Rates are decimal text ("3000", "1.0002"); every step is bigint.
 */

/** A positive decimal as digits and a power of ten: "1.0002" → { digits: 10002n, exp: 4 }. */
export interface Decimal {
  digits: bigint;
  exp: number;
}

const DECIMAL = /^(0|[1-9]\d{0,29})(?:\.(\d{1,30}))?(?:[eE]([+-]?\d{1,2}))?$/;

/**
 * Reads a rate as decimal text ("3000", "1.0002"), or as the text of a JSON
 * number, which a price API may write with an exponent ("3.1e-05");
 * undefined when it is neither, or not above zero.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  let digits = BigInt(m[1]! + fraction);
  let exp = fraction.length - Number(m[3] ?? 0);
  if (exp < 0) {
    digits *= 10n ** BigInt(-exp);
    exp = 0;
  }
  while (exp > 0 && digits % 10n === 0n) {
    digits /= 10n;
    exp--;
  }
  return digits > 0n ? { digits, exp } : undefined;
}

/** The canonical text of a decimal: "3000", "1.0002", "0.000031". */
export function formatDecimal({ digits, exp }: Decimal): string {
  const text = digits.toString().padStart(exp + 1, '0');
  return exp === 0 ? text : `${text.slice(0, -exp)}.${text.slice(-exp)}`;
}

export interface CoinUnits {
  /** The chain's units: base units are 10^-decimals of a coin. */
  decimals: number;
  /** The most decimals an invoice amount may have. */
  scale: number;
}

/**
 * The crypto amount, in the coin's base units, for `fiatMinor` minor units of a
 * fiat currency with `minorUnits` digits at `rate` fiat per coin. Rounded up to
 * the coin's scale (never finer than its decimals).
 */
export function fiatToCrypto(fiatMinor: bigint, minorUnits: number, rate: Decimal, coin: CoinUnits): bigint {
  const places = Math.min(coin.scale, coin.decimals);
  // fiat / rate = (F / 10^m) / (R / 10^e) = F·10^e / (R·10^m); in units of 10^-places: × 10^places.
  const numerator = fiatMinor * 10n ** BigInt(rate.exp + places);
  const denominator = rate.digits * 10n ** BigInt(minorUnits);
  const scaled = (numerator + denominator - 1n) / denominator;
  return scaled * 10n ** BigInt(coin.decimals - places);
}
