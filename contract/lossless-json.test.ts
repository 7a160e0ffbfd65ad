import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, parseJsonKeepingNumbers } from './lossless-json';

const NONE = new Set<string>();
const AMOUNT = new Set(['amount']);

// The parser drops `__proto__` keys on purpose (see the prototype tests), so JSON.parse is asked to do the same.
const jsonParseWithoutProto = (text: string): unknown => JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));

const nested = (levels: number, inner: string) => '['.repeat(levels) + inner + ']'.repeat(levels);

describe('parseJsonKeepingNumbers', () => {
  it('agrees with JSON.parse on any JSON text when no key is exact', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 8 }), (text) => {
        expect(parseJsonKeepingNumbers(text, NONE)).toEqual(jsonParseWithoutProto(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on pretty-printed JSON with any unicode text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8, stringUnit: 'binary' }), fc.constantFrom(0, 2, '\t', ' \r\n'), (value, indent) => {
        // A string indent goes after each separator outside the strings (inside one, a raw line break is not JSON).
        const text = typeof indent === 'string' ? JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"|[,:[{]/g, (m) => (m[0] === '"' ? m : m + indent)) : JSON.stringify(value, null, indent);
        fc.pre(text !== undefined);
        expect(parseJsonKeepingNumbers(text, NONE)).toEqual(jsonParseWithoutProto(text));
      }),
      { numRuns: 300 },
    );
  });

  it.each(['0', '-0', '1.5e300', '-1E-7', '1e999', '"\\u00e9\\ud83d\\ude00"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', 'true', 'false', 'null', '[]', '{}', ' \t\r\n[ 1 , { } ] '])(
    'parses %s as JSON.parse does',
    (text) => {
      expect(parseJsonKeepingNumbers(text, NONE)).toEqual(JSON.parse(text));
    },
  );

  it('keeps the source text of a number under an exact key', () => {
    const body = parseJsonKeepingNumbers('{"amount": 0.1000000000000000055, "timestamp": 1700000000000}', AMOUNT);
    expect(body).toEqual({ amount: new JsonNumber('0.1000000000000000055'), timestamp: 1700000000000 });
    expect((body as { amount: unknown }).amount).toBeInstanceOf(JsonNumber);
  });

  it.each(['1e-3', '1.5E+2', '-0', '123456789.123456789012345678', '0.10'])('keeps %s verbatim', (text) => {
    expect(parseJsonKeepingNumbers(`{"amount":${text}}`, AMOUNT)).toEqual({ amount: new JsonNumber(text) });
  });

  it('keeps numbers under an exact key at any depth', () => {
    expect(parseJsonKeepingNumbers('{"payload":{"amount":1e-3,"items":[{"amount":2}]}}', AMOUNT)).toEqual({
      payload: { amount: new JsonNumber('1e-3'), items: [{ amount: new JsonNumber('2') }] },
    });
  });

  it('matches the key after decoding its escapes', () => {
    expect(parseJsonKeepingNumbers('{"am\\u006funt":0.1}', AMOUNT)).toEqual({ amount: new JsonNumber('0.1') });
  });

  it('parses as usual what is not a number directly under an exact key', () => {
    expect(parseJsonKeepingNumbers('{"amount":"0.1","Amount":0.1,"list":{"amount":[0.1]},"n":{"amount":null}}', AMOUNT)).toEqual({
      amount: '0.1',
      Amount: 0.1,
      list: { amount: [0.1] },
      n: { amount: null },
    });
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    expect(parseJsonKeepingNumbers('{"amount":1,"amount":2}', AMOUNT)).toEqual({ amount: new JsonNumber('2') });
  });

  it.each([
    ['empty input', ''],
    ['only whitespace', ' \n'],
    ['an unclosed object', '{"a":1'],
    ['an unclosed array', '[1'],
    ['a lone closing brace', '}'],
    ['a trailing comma in an array', '[1,]'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a leading comma', '[,1]'],
    ['single quotes', "{'a':1}"],
    ['an unquoted key', '{a:1}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '{"a":1 "b":2}'],
    ['a missing comma in an array', '[1 2]'],
    ['NaN', '{"amount":NaN}'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['a leading zero', '01'],
    ['a negative leading zero', '{"amount":-01}'],
    ['a trailing point', '1.'],
    ['a leading point', '.5'],
    ['a plus sign', '+1'],
    ['an empty exponent', '1e'],
    ['hexadecimal', '0x10'],
    ['a digit separator', '1_000'],
    ['a lone minus', '-'],
    ['an unterminated string', '"abc'],
    ['an unterminated string in an object', '{"a":"abc}'],
    ['a raw newline in a string', '"a\nb"'],
    ['a raw tab in a string', '"a\tb"'],
    ['a raw NUL in a string', '"\u0000"'],
    ['an unknown escape', '"\\x41"'],
    ['a short unicode escape', '"\\u12"'],
    ['trailing garbage', '{} x'],
    ['two values', '[] []'],
    ['an extra closing bracket', '[1]]'],
    ['a truncated literal', 'tru'],
    ['a misspelt literal', 'True'],
    ['a literal run into a word', '[nullx]'],
    ['undefined', 'undefined'],
    ['a byte order mark', '\ufeff{}'],
    ['a comment', '/* c */ {}'],
    ['a non-breaking space', '\u00a0{}'],
    ['a form feed', '\f{}'],
  ])('rejects %s with JsonSyntaxError', (_, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonKeepingNumbers(text, AMOUNT)).toThrow(JsonSyntaxError);
  });

  it('says where the error is', () => {
    expect(() => parseJsonKeepingNumbers('{"a":1,}', NONE)).toThrow('expected a property name at position 7');
    expect(() => parseJsonKeepingNumbers('{} x', NONE)).toThrow('unexpected data after the JSON value at position 3');
  });

  it('rejects whatever JSON.parse rejects', () => {
    const tokens = ['{', '}', '[', ']', ',', ':', '"a"', '"', '1', '-', '0', '.', 'e', 'true', 'null', ' ', '\\', 'x'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        if (valid) expect(parseJsonKeepingNumbers(text, NONE)).toEqual(jsonParseWithoutProto(text));
        else expect(() => parseJsonKeepingNumbers(text, NONE)).toThrow(JsonSyntaxError);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts values nested 32 levels deep', () => {
    expect(parseJsonKeepingNumbers(nested(32, '1'), NONE)).toEqual(JSON.parse(nested(32, '1')));
    expect(parseJsonKeepingNumbers('{"a":'.repeat(32) + '1' + '}'.repeat(32), NONE)).toEqual(JSON.parse('{"a":'.repeat(32) + '1' + '}'.repeat(32)));
  });

  it('rejects values nested 33 levels deep', () => {
    expect(() => parseJsonKeepingNumbers(nested(33, '1'), NONE)).toThrow(new JsonSyntaxError('nesting too deep at position 33'));
    expect(() => parseJsonKeepingNumbers('{"a":'.repeat(33) + '1' + '}'.repeat(33), NONE)).toThrow(JsonSyntaxError);
  });

  it('throws JsonSyntaxError, not a stack overflow, for very deep nesting', () => {
    expect(() => parseJsonKeepingNumbers(nested(100_000, ''), NONE)).toThrow(JsonSyntaxError);
    expect(() => parseJsonKeepingNumbers('{"a":'.repeat(100_000), NONE)).toThrow(JsonSyntaxError);
  });

  it('parses a string of a million characters', () => {
    const long = 'a\\n'.repeat(333_333);
    expect(parseJsonKeepingNumbers(`{"description":"${long}"}`, AMOUNT)).toEqual({ description: 'a\n'.repeat(333_333) });
  });

  it('drops __proto__ keys instead of setting the prototype', () => {
    const body = parseJsonKeepingNumbers('{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}},"b":[{"__proto__":null}]}', AMOUNT) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(body.a)).toBe(Object.prototype);
    expect(Object.keys(body)).toEqual(['a', 'b']);
    expect(body).toEqual({ a: {}, b: [{}] });
    expect('polluted' in body).toBe(false);
    expect((body.a as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops an escaped __proto__ key too', () => {
    const body = parseJsonKeepingNumbers('{"\\u005f_proto__":{"polluted":true}}', NONE) as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body).toEqual({});
  });

  it('keeps constructor and prototype keys as plain data', () => {
    const body = parseJsonKeepingNumbers('{"constructor":{"prototype":{"polluted":true}}}', NONE) as Record<string, unknown>;
    expect(Object.hasOwn(body, 'constructor')).toBe(true);
    expect(body.constructor).toEqual({ prototype: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
