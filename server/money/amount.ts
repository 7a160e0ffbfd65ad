/**
 * Exact amounts. Inside Payframe an amount is a bigint of base units (wei,
 * token units); on the wire it is decimal text. Nothing here touches a float:
 * a JSON number reaches us as its source text (see contract/lossless-json.ts).
 */
import { formatUnits } from 'viem';

export type AmountResult = { ok: true; units: bigint; text: string } | { ok: false; reason: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** More digits than a double holds exactly: such a number cannot round-trip. */
const MAX_NUMBER_SIGNIFICANT_DIGITS = 15;
/** No invoice is for more than 10^15 whole coins; it keeps texts and bigints small. */
const MAX_INTEGER_DIGITS = 15;

/** Parses the source text of a JSON number (exponent forms allowed) or a decimal string. */
export function parseAmount(input: { text: string; isNumber: boolean }, decimals: number, scale: number): AmountResult {
  const text = input.text.trim();
  const m = input.isNumber ? JSON_NUMBER.exec(text) : DECIMAL.exec(text);
  if (!m) {
    return { ok: false, reason: input.isNumber ? 'is not a number' : 'must be a positive decimal such as "0.15" (digits, one optional point, no sign or exponent)' };
  }
  const negative = input.isNumber ? m[1] === '-' : false;
  const intPart = (input.isNumber ? m[2] : m[1]) ?? '0';
  const fracPart = (input.isNumber ? m[3] : m[2]) ?? '';
  const exponent = input.isNumber && m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return { ok: false, reason: 'has an exponent out of range' };
  if (negative) return { ok: false, reason: 'must be greater than zero' };

  const { whole, fraction } = shift(intPart, fracPart, exponent);
  const significant = (whole + fraction).replace(/^0+/, '').replace(/0+$/, '');
  if (significant === '') return { ok: false, reason: 'must be greater than zero' };
  if (input.isNumber && significant.length > MAX_NUMBER_SIGNIFICANT_DIGITS) {
    return { ok: false, reason: `has more than ${MAX_NUMBER_SIGNIFICANT_DIGITS} significant digits and cannot be represented exactly as a JSON number; send it as a decimal string` };
  }
  if (whole.length > MAX_INTEGER_DIGITS) return { ok: false, reason: 'is too large' };
  // A scale above the chain's decimals would read the extra digits as whole units.
  const places = Math.min(scale, decimals);
  if (fraction.length > places) return { ok: false, reason: `has more than ${places} decimal places (the currency's precision)` };

  const units = BigInt(whole + fraction.padEnd(decimals, '0'));
  return { ok: true, units, text: formatUnits(units, decimals) };
}

/** Moves the decimal point of intPart.fracPart by exponent places; strips insignificant zeros. */
function shift(intPart: string, fracPart: string, exponent: number): { whole: string; fraction: string } {
  const digits = intPart + fracPart;
  let point = intPart.length + exponent;
  let padded = digits;
  if (point < 0) {
    padded = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    padded = digits + '0'.repeat(point - digits.length);
  }
  const whole = padded.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fraction = padded.slice(point).replace(/0+$/, '');
  return { whole, fraction };
}

/** Base units → canonical decimal text: no exponent, no trailing zeros ("1.5", "0.001", "12"). viem's, which works on the bigint's digits. */
export { formatUnits };

/** Calypso's fixed underpay tolerance: 99.5 % of the amount counts as paid. Rounded up, so never less. */
export function paidThreshold(amount: bigint): bigint {
  return (amount * 995n + 999n) / 1000n;
}
