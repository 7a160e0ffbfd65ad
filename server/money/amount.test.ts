import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, paidThreshold, parseAmount } from './amount';

const num = (text: string) => ({ text, isNumber: true });
const str = (text: string) => ({ text, isNumber: false });
const WEI = 10n ** 18n;

// ETH: 18 chain decimals, invoices up to 8 decimals.
const ETH = [18, 8] as const;

describe('parseAmount', () => {
  describe('with a JSON number', () => {
    it.each([
      ['0.1', 100_000_000_000_000_000n, '0.1'],
      ['1', WEI, '1'],
      ['1e-3', 10n ** 15n, '0.001'],
      ['1E-3', 10n ** 15n, '0.001'],
      ['1.5E2', 150n * WEI, '150'],
      ['1.5e+2', 150n * WEI, '150'],
      ['15e-1', 15n * 10n ** 17n, '1.5'],
      ['100e-2', WEI, '1'],
      ['0.00000001', 10n ** 10n, '0.00000001'],
      ['1e-8', 10n ** 10n, '0.00000001'],
      ['0.000000010', 10n ** 10n, '0.00000001'],
      ['1.50', 15n * 10n ** 17n, '1.5'],
      ['0.0001e4', WEI, '1'],
      ['123456789012345', 123_456_789_012_345n * WEI, '123456789012345'],
      ['12345678.1234567', 123_456_781_234_567n * 10n ** 11n, '12345678.1234567'],
      ['999999999999999', 999_999_999_999_999n * WEI, '999999999999999'],
    ])('reads %s exactly as %s wei', (text, units, canonical) => {
      expect(parseAmount(num(text), ...ETH)).toEqual({ ok: true, units, text: canonical });
    });

    it.each(['0', '-0', '0e5', '0.0', '0.000e-3', '-1', '-0.5', '-1e-3'])('rejects %s as not greater than zero', (text) => {
      expect(parseAmount(num(text), ...ETH)).toEqual({ ok: false, reason: 'must be greater than zero' });
    });

    it.each(['0.123456789', '1e-9', '0.000000001', '1.000000001'])('rejects %s for having more decimals than the scale', (text) => {
      expect(parseAmount(num(text), ...ETH)).toEqual({ ok: false, reason: "has more than 8 decimal places (the currency's precision)" });
    });

    it.each(['0.1000000000000000055', '1234567890123456', '1234567.123456789', '0.1234567890123456e3'])(
      'rejects %s for having more than 15 significant digits',
      (text) => {
        const result = parseAmount(num(text), 18, 18);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.reason).toMatch(/more than 15 significant digits .* send it as a decimal string/);
      },
    );

    it('counts significant digits of the value, not of the text', () => {
      expect(parseAmount(num('1.50000000000000000000'), ...ETH)).toMatchObject({ ok: true, units: 15n * 10n ** 17n });
      expect(parseAmount(num('0.00000000000000000001e20'), ...ETH)).toMatchObject({ ok: true, units: WEI });
    });

    it.each(['1000000000000000', '1e15', '1.5e15', '1e400'])('rejects %s for an integer part over 15 digits', (text) => {
      expect(parseAmount(num(text), ...ETH)).toEqual({ ok: false, reason: 'is too large' });
    });

    it.each(['1e401', '1e-401', '1e99999999999999999999'])('rejects the out-of-range exponent in %s', (text) => {
      expect(parseAmount(num(text), ...ETH)).toEqual({ ok: false, reason: 'has an exponent out of range' });
    });

    it.each(['', ' ', 'abc', '1.', '.5', '+1', '--1', '1e', '1e+', '0x10', 'Infinity', 'NaN', '1_000', '1 000', '1,5', '١'])(
      'rejects %j as not a number',
      (text) => {
        expect(parseAmount(num(text), ...ETH)).toEqual({ ok: false, reason: 'is not a number' });
      },
    );
  });

  describe('with a decimal string', () => {
    it.each([
      ['0.15', 15n * 10n ** 16n, '0.15'],
      ['1', WEI, '1'],
      ['1.50', 15n * 10n ** 17n, '1.5'],
      ['0001.5', 15n * 10n ** 17n, '1.5'],
      ['0.00000001', 10n ** 10n, '0.00000001'],
      ['999999999999999.99999999', 99_999_999_999_999_999_999_999n * 10n ** 10n, '999999999999999.99999999'],
    ])('reads %s exactly as %s wei', (text, units, canonical) => {
      expect(parseAmount(str(text), ...ETH)).toEqual({ ok: true, units, text: canonical });
    });

    it('keeps more than 15 significant digits exactly', () => {
      expect(parseAmount(str('123456789.12345678'), ...ETH)).toEqual({
        ok: true,
        units: 123_456_789_123_456_780_000_000_000n,
        text: '123456789.12345678',
      });
    });

    it.each(['-1', '+1', '1e5', '1E-3', '1 000', '0. 5', '0.1.2', 'abc', '.5', '5.', '1,5', '0x1', '', '٣'])(
      'rejects %j as not a plain positive decimal',
      (text) => {
        const result = parseAmount(str(text), ...ETH);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.reason).toMatch(/^must be a positive decimal such as "0.15"/);
      },
    );

    it.each(['0', '0.0', '000', '0.00000000000'])('rejects %s as not greater than zero', (text) => {
      expect(parseAmount(str(text), ...ETH)).toEqual({ ok: false, reason: 'must be greater than zero' });
    });

    it('rejects a ninth decimal at scale 8', () => {
      expect(parseAmount(str('0.123456781'), ...ETH)).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 8 decimal places/) });
    });

    it('rejects an integer part over 15 digits', () => {
      expect(parseAmount(str('1000000000000000'), ...ETH)).toEqual({ ok: false, reason: 'is too large' });
    });
  });

  it('applies the currency decimals and scale it is given', () => {
    expect(parseAmount(str('1.000001'), 6, 6)).toEqual({ ok: true, units: 1_000_001n, text: '1.000001' });
    expect(parseAmount(str('1.0000001'), 6, 6).ok).toBe(false);
    expect(parseAmount(num('5'), 0, 0)).toEqual({ ok: true, units: 5n, text: '5' });
    expect(parseAmount(num('5.5'), 0, 0).ok).toBe(false);
    expect(parseAmount(str('1.123456'), 18, 6)).toEqual({ ok: true, units: 1_123_456n * 10n ** 12n, text: '1.123456' });
  });

  it('never reads more decimals than the chain has, whatever the scale says', () => {
    expect(parseAmount(str('0.123456'), 6, 8)).toEqual({ ok: true, units: 123_456n, text: '0.123456' });
    expect(parseAmount(str('0.1234567'), 6, 8)).toEqual({ ok: false, reason: "has more than 6 decimal places (the currency's precision)" });
  });

  it('ignores whitespace around the text', () => {
    expect(parseAmount(str(' 0.15\n'), ...ETH)).toMatchObject({ ok: true, units: 15n * 10n ** 16n });
    expect(parseAmount(num('\t1e-3 '), ...ETH)).toMatchObject({ ok: true, units: 10n ** 15n });
  });

  // Every amount an invoice can hold: up to 15 integer digits and `scale` decimals.
  const invoiceUnits = (decimals: number, scale: number) =>
    fc.bigInt({ min: 1n, max: 10n ** BigInt(15 + scale) - 1n }).map((n) => n * 10n ** BigInt(decimals - scale));

  it('reads back every amount formatUnits writes, as a decimal string', () => {
    const currencyAndUnits = fc
      .constantFrom([18, 8], [6, 6], [18, 6], [0, 0])
      .chain(([decimals, scale]) => invoiceUnits(decimals!, scale!).map((units) => ({ decimals: decimals!, scale: scale!, units })));
    fc.assert(
      fc.property(currencyAndUnits, ({ decimals, scale, units }) => {
        const text = formatUnits(units, decimals);
        expect(parseAmount(str(text), decimals, scale)).toEqual({ ok: true, units, text });
      }),
    );
  });

  it('reads back a number text exactly when it has at most 15 significant digits and refuses it otherwise', () => {
    fc.assert(
      fc.property(invoiceUnits(18, 8), (units) => {
        const text = formatUnits(units, 18);
        const significant = text.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
        const result = parseAmount(num(text), ...ETH);
        if (significant <= 15) expect(result).toEqual({ ok: true, units, text });
        else expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/significant digits/) });
      }),
    );
  });

  it('reads an exponent form as the decimal it denotes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: -20, max: 20 }), (mantissa, exponent) => {
        const viaExponent = parseAmount(num(`${mantissa}e${exponent}`), 18, 18);
        const decimal = exponent >= 0 ? (mantissa * 10n ** BigInt(exponent)).toString() : formatUnits(mantissa, -exponent);
        expect(viaExponent).toEqual(parseAmount(num(decimal), 18, 18));
      }),
    );
  });

  it('answers a canonical text that reads back to the same units', () => {
    const digits = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
    fc.assert(
      fc.property(digits(1, 15), digits(0, 8), (whole, fraction) => {
        const result = parseAmount(str(fraction ? `${whole}.${fraction}` : whole), ...ETH);
        fc.pre(result.ok);
        if (!result.ok) return;
        expect(result.text).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(parseAmount(str(result.text), ...ETH)).toEqual(result);
      }),
    );
  });
});

describe('formatUnits', () => {
  it.each([
    [0n, 18, '0'],
    [1n, 18, '0.000000000000000001'],
    [WEI, 18, '1'],
    [15n * 10n ** 17n, 18, '1.5'],
    [1_500_000n, 6, '1.5'],
    [1_000n, 6, '0.001'],
    [10_000_000n, 6, '10'],
    [-1_500_000n, 6, '-1.5'],
    [-1n, 6, '-0.000001'],
    [12n, 0, '12'],
    [123_456_789_123_456_780_000_000_000n, 18, '123456789.12345678'],
  ])('writes %s at %s decimals as %s', (units, decimals, text) => {
    expect(formatUnits(units, decimals)).toBe(text);
  });

  it('writes the exact value with no exponent and no trailing zeros', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }), (units, decimals) => {
        const text = formatUnits(units, decimals);
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(text === '-0').toBe(false);
        const [whole, fraction = ''] = text.replace('-', '').split('.');
        const magnitude = BigInt(whole! + fraction.padEnd(decimals, '0'));
        expect(text.startsWith('-') ? -magnitude : magnitude).toBe(units);
      }),
    );
  });
});

describe('paidThreshold', () => {
  it.each([
    [1000n, 995n],
    [1n, 1n],
    [0n, 0n],
    [2n, 2n],
    [200n, 199n],
    [201n, 200n],
    [999n, 995n],
    [1001n, 996n],
    [WEI, 995n * 10n ** 15n],
  ])('for an amount of %s is %s', (amount, threshold) => {
    expect(paidThreshold(amount)).toBe(threshold);
  });

  it('is the smallest number of units that is at least 99.5 % of the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 33n }), (amount) => {
        const threshold = paidThreshold(amount);
        expect(threshold * 1000n >= amount * 995n).toBe(true);
        expect(amount === 0n || (threshold - 1n) * 1000n < amount * 995n).toBe(true);
        expect(threshold <= amount).toBe(true);
      }),
    );
  });
});
