/**
 * JSON.parse turns 0.1000000000000000055 into 0.1 before we can see it, and
 * Node 20 has no reviver source text. Amounts must be checked against the
 * text the client actually sent, so this parser keeps the source of the
 * numbers under the keys asked for and parses everything else as JSON.parse does.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Parses `source`; a number under one of `exactKeys` comes back as a
 * JsonNumber holding its source text (or, with `as: 'text'`, as that text).
 */
export function parseJsonKeepingNumbers(source: string, exactKeys: ReadonlySet<string>, as: 'JsonNumber' | 'text' = 'JsonNumber'): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${pos}`);
  };
  const skip = () => {
    for (let c = source.charCodeAt(pos); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = source.charCodeAt(++pos));
  };
  // A string without escapes (nearly every one) is its text between the quotes; any other is JSON.parse's to decode.
  const string = (what: string): string => {
    for (let end = pos + 1; end < source.length; end++) {
      const c = source.charCodeAt(end);
      if (c === 0x22) {
        const text = source.slice(pos + 1, end);
        pos = end + 1;
        return text;
      }
      if (c === 0x5c || c < 0x20) break;
    }
    return JSON.parse(match(STRING) ?? fail(what)) as string;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const value = (key: string | undefined, depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const ch = source[pos];
    if (ch === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      skip();
      if (source[pos] === '}') return pos++, obj;
      for (;;) {
        skip();
        if (source[pos] !== '"') fail('expected a property name');
        const name = string('expected a property name');
        skip();
        if (source[pos++] !== ':') fail('expected ":"');
        const v = value(name, depth + 1);
        if (name !== '__proto__') obj[name] = v;
        skip();
        const sep = source[pos++];
        if (sep === '}') return obj;
        if (sep !== ',') fail('expected "," or "}"');
      }
    }
    if (ch === '[') {
      pos++;
      const arr: unknown[] = [];
      skip();
      if (source[pos] === ']') return pos++, arr;
      for (;;) {
        arr.push(value(undefined, depth + 1));
        skip();
        const sep = source[pos++];
        if (sep === ']') return arr;
        if (sep !== ',') fail('expected "," or "]"');
      }
    }
    if (ch === '"') return string('invalid string');
    if (source.startsWith('true', pos)) return (pos += 4), true;
    if (source.startsWith('false', pos)) return (pos += 5), false;
    if (source.startsWith('null', pos)) return (pos += 4), null;
    const num = match(NUMBER) ?? fail('unexpected token');
    if (key === undefined || !exactKeys.has(key)) return Number(num);
    return as === 'text' ? num : new JsonNumber(num);
  };
  const result = value(undefined, 0);
  skip();
  if (pos !== source.length) fail('unexpected data after the JSON value');
  return result;
}
