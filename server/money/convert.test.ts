import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits } from './amount';
import { fiatToCrypto, formatDecimal, parseDecimal, type Decimal } from './convert';
import { BUILT_IN_TABLE } from './currencies';
import { findFiat } from './fiat';

const USD = findFiat('USD')!;
const ETH = BUILT_IN_TABLE.find('ETH')!;
const USDT = BUILT_IN_TABLE.find('USDT')!;

describe('parseDecimal', () => {
  it.each([
    ['3000', { digits: 3000n, exp: 0 }],
    ['1.0002', { digits: 10002n, exp: 4 }],
    ['0.5', { digits: 5n, exp: 1 }],
    ['2.50', { digits: 25n, exp: 1 }],
    ['3.1e-05', { digits: 31n, exp: 6 }],
    ['1.5E3', { digits: 1500n, exp: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseDecimal(text)).toEqual(expected);
  });

  it.each(['3000', '1.0002', '0.000031', '12.5'])('writes %s back as it read it', (text) => {
    expect(formatDecimal(parseDecimal(text)!)).toBe(text);
  });

  it.each(['', '0', '0.000', '-1', '1e999', '1.', '.5', ' 1', '01', 'NaN', '1,5', '3000.0000000000000000000000000000001'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('fiatToCrypto', () => {
  it('divides the price by the rate and rounds up to the coin scale', () => {
    // 10.00 USD at 3000 USD/ETH = 0.003333… ETH → 0.00333334 (8 decimals), never 0.00333333.
    expect(formatUnits(fiatToCrypto(1000n, USD.minorUnits, parseDecimal('3000')!, ETH), ETH.decimals)).toBe('0.00333334');
    // An exact quotient is not rounded: 24.50 USD at 1 USD/USDT = 24.5 USDT.
    expect(formatUnits(fiatToCrypto(2450n, USD.minorUnits, parseDecimal('1')!, USDT), USDT.decimals)).toBe('24.5');
    // 24.50 USD at 1.0002 = 24.4951009798… USDT → 24.495101.
    expect(formatUnits(fiatToCrypto(2450n, USD.minorUnits, parseDecimal('1.0002')!, USDT), USDT.decimals)).toBe('24.495101');
  });

  it('works for a currency without minor units', () => {
    const JPY = findFiat('JPY')!;
    expect(JPY.minorUnits).toBe(0);
    expect(formatUnits(fiatToCrypto(1500n, JPY.minorUnits, parseDecimal('450000')!, ETH), ETH.decimals)).toBe('0.00333334');
  });

  // The property the issue asks for: amount × rate ≥ price, and amount exceeds price ÷ rate by less than one unit of the scale.
  it('never converts to less than the price, and to less than one scale unit more', () => {
    const rate = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, exp]): Decimal => ({ digits, exp }));
    const coin = fc.constantFrom(...BUILT_IN_TABLE.all(), { decimals: 8, scale: 8 }, { decimals: 0, scale: 0 }, { decimals: 18, scale: 18 });
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.constantFrom(0, 2, 3, 4), rate, coin, (fiat, minor, r, c) => {
        const units = fiatToCrypto(fiat, minor, r, c);
        const places = Math.min(c.scale, c.decimals);
        // Whole multiples of the scale unit only.
        expect(units % 10n ** BigInt(c.decimals - places)).toBe(0n);
        // In a common denominator (10^(decimals + exp + minor)): units·R·10^minor against fiat·10^(decimals + exp).
        const paid = units * r.digits * 10n ** BigInt(minor);
        const price = fiat * 10n ** BigInt(c.decimals + r.exp);
        const oneScaleUnit = 10n ** BigInt(c.decimals - places) * r.digits * 10n ** BigInt(minor);
        expect(paid >= price).toBe(true);
        expect(paid - price < oneScaleUnit).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
