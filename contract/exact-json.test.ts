import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalNumber, stringifyExact, stringifyWithExactKeys } from './exact-json';

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.option(fc.stringMatching(/^[0-9]{1,30}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

describe('DecimalNumber', () => {
  it.each(['0', '-0', '12', '-1.5', '0.000000000000000001', '123456789.123456789012345678', '1.50'])('takes %s', (text) => {
    expect(new DecimalNumber(text).text).toBe(text);
  });

  it.each(['', ' 1', '1 ', '007', '-01', '1e5', '1E-3', '.5', '1.', '+1', '--1', 'NaN', 'Infinity', '0x10', '1,5', 'abc'])(
    'refuses %j, which could not be written as a JSON number',
    (text) => {
      expect(() => new DecimalNumber(text)).toThrow(TypeError);
      expect(() => new DecimalNumber(text)).toThrow(/plain decimal text such as "0.15"/);
    },
  );
});

describe('stringifyExact', () => {
  it('writes the exact decimal text as an unquoted JSON number', () => {
    expect(stringifyExact({ amount: new DecimalNumber('123456789.123456789012345678') })).toBe('{"amount":123456789.123456789012345678}');
  });

  it('writes every DecimalNumber, wherever it is', () => {
    const value = {
      items: [new DecimalNumber('1.5'), { fee: new DecimalNumber('0') }],
      total: new DecimalNumber('-0.000000000000000001'),
      same: new DecimalNumber('1.5'),
    };
    expect(stringifyExact(value)).toBe('{"items":[1.5,{"fee":0}],"total":-0.000000000000000001,"same":1.5}');
  });

  it('writes a DecimalNumber at the top level', () => {
    expect(stringifyExact(new DecimalNumber('0.1'))).toBe('0.1');
  });

  it('writes what JSON.stringify writes when there is no DecimalNumber', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        expect(stringifyExact(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it.each([
    '\u0000dec-0000000000000000:1',
    '\u0000dec-:1',
    '\\u0000dec-0000000000000000:1',
    '"\u0000dec-0000000000000000:1"',
    '\u0000dec-ffffffffffffffff:12.5',
  ])('leaves the client string %j alone', (text) => {
    const value = { description: text, amount: new DecimalNumber('2') };
    const out = stringifyExact(value);
    expect(out).toBe(`{"description":${JSON.stringify(text)},"amount":2}`);
    expect(JSON.parse(out)).toEqual({ description: text, amount: 2 });
  });

  it('leaves any string that imitates the marker alone', () => {
    const imitation = fc
      .tuple(fc.stringMatching(/^[0-9a-f]{16}$/), decimalText, fc.string({ unit: 'binary', maxLength: 3 }))
      .map(([hex, number, suffix]) => `\u0000dec-${hex}:${number}${suffix}`);
    fc.assert(
      fc.property(imitation, (text) => {
        expect(stringifyExact([text, new DecimalNumber('1')])).toBe(`[${JSON.stringify(text)},1]`);
      }),
    );
  });

  it('keeps strings beside a DecimalNumber intact, backslashes and quotes included', () => {
    const value = ['\\', new DecimalNumber('1'), '"', { 'k"\\': new DecimalNumber('2.5') }];
    expect(stringifyExact(value)).toBe('["\\\\",1,"\\"",{"k\\"\\\\":2.5}]');
  });

  it('writes any decimal text verbatim into output that JSON.parse reads', () => {
    fc.assert(
      fc.property(decimalText, fc.jsonValue({ maxDepth: 3 }), (text, other) => {
        const out = stringifyExact({ other, amount: new DecimalNumber(text), list: [new DecimalNumber(text)] });
        expect(out).toBe(`{"other":${JSON.stringify(other)},"amount":${text},"list":[${text}]}`);
        expect(JSON.parse(out)).toEqual({ other: JSON.parse(JSON.stringify(other)), amount: Number(text), list: [Number(text)] });
      }),
    );
  });
});

describe('stringifyWithExactKeys', () => {
  const KEYS: ReadonlySet<string> = new Set(['amount', 'fee']);
  /** What it wrote before (a replacer turning each string under a key into a DecimalNumber): the oracle. */
  const withReplacer = (value: unknown) => stringifyExact(JSON.parse(JSON.stringify(value, (key, v: unknown) => (typeof v === 'string' && KEYS.has(key) ? { decimal: v } : v)), (_key, v: unknown) => (v && typeof v === 'object' && 'decimal' in v ? new DecimalNumber((v as { decimal: string }).decimal) : v)));

  it('writes the strings under the keys as numbers, at any depth, and nothing else', () => {
    const value = { amount: '1.50', note: 'amount', items: [{ fee: '0.000000000000000001', amount: 2 }, '"amount":"3"'], nested: { fee: '-12' }, feeTotal: '4', 'x"fee': '5' };
    expect(stringifyWithExactKeys(value, KEYS)).toBe('{"amount":1.50,"note":"amount","items":[{"fee":0.000000000000000001,"amount":2},"\\"amount\\":\\"3\\""],"nested":{"fee":-12},"feeTotal":"4","x\\"fee":"5"}');
  });

  it('writes what the replacer wrote, for any JSON with decimal strings under the keys', () => {
    // Keys that end in a key's name after a quote, or hold one: their values stay strings.
    const key = fc.constantFrom('amount', 'fee', 'other', 'amounts', 'x"amount', 'a"mount', 'amount\\', '{"fee');
    const leaf = fc.oneof(decimalText, fc.string({ unit: 'binary', maxLength: 6 }).map((s) => `,"amount":"${s}`), fc.integer(), fc.constant(null));
    const json = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    // Only decimal text under the keys: anything else there throws, in both.
    const valid = json.filter((value) => {
      let ok = true;
      JSON.stringify(value, (k, v: unknown) => ((ok &&= !(KEYS.has(k) && typeof v === 'string' && !/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/.test(v))), v));
      return ok;
    });
    fc.assert(
      fc.property(valid, (value) => {
        expect(stringifyWithExactKeys(value, KEYS)).toBe(withReplacer(value));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a string under a key that is not plain decimal text', () => {
    for (const text of ['1e5', '', 'abc', '"1"', '\\u0031']) expect(() => stringifyWithExactKeys({ fee: text }, KEYS)).toThrow(TypeError);
  });
});
