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
  const parser = new Parser(source, exactKeys, as);
  const result = parser.value(undefined, 0);
  parser.skip();
  if (parser.pos !== source.length) parser.fail('unexpected data after the JSON value');
  return result;
}

/**
 * The parser's state and steps. A class, not closures made on each call: run through tsx, every closure made
 * also got its name set (esbuild's keepNames), and a signed request's body took five of them.
 */
class Parser {
  pos = 0;

  constructor(
    readonly source: string,
    readonly exactKeys: ReadonlySet<string>,
    readonly as: 'JsonNumber' | 'text',
  ) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at position ${this.pos}`);
  }

  skip(): void {
    const { source } = this;
    let c = source.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = source.charCodeAt(++this.pos);
  }

  /** A string without escapes (nearly every one) is its text between the quotes; any other is JSON.parse's to decode. */
  string(what: string): string {
    const { source } = this;
    for (let end = this.pos + 1; end < source.length; end++) {
      const c = source.charCodeAt(end);
      if (c === 0x22) {
        const text = source.slice(this.pos + 1, end);
        this.pos = end + 1;
        return text;
      }
      if (c === 0x5c || c < 0x20) break;
    }
    return JSON.parse(this.match(STRING) ?? this.fail(what)) as string;
  }

  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.source);
    if (!m) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }

  value(key: string | undefined, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const { source } = this;
    this.skip();
    const ch = source[this.pos];
    if (ch === '{') {
      this.pos++;
      const obj: Record<string, unknown> = {};
      this.skip();
      if (source[this.pos] === '}') return this.pos++, obj;
      for (;;) {
        this.skip();
        if (source[this.pos] !== '"') this.fail('expected a property name');
        const name = this.string('expected a property name');
        this.skip();
        if (source[this.pos++] !== ':') this.fail('expected ":"');
        const v = this.value(name, depth + 1);
        if (name !== '__proto__') obj[name] = v;
        this.skip();
        const sep = source[this.pos++];
        if (sep === '}') return obj;
        if (sep !== ',') this.fail('expected "," or "}"');
      }
    }
    if (ch === '[') {
      this.pos++;
      const arr: unknown[] = [];
      this.skip();
      if (source[this.pos] === ']') return this.pos++, arr;
      for (;;) {
        arr.push(this.value(undefined, depth + 1));
        this.skip();
        const sep = source[this.pos++];
        if (sep === ']') return arr;
        if (sep !== ',') this.fail('expected "," or "]"');
      }
    }
    if (ch === '"') return this.string('invalid string');
    if (source.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (source.startsWith('false', this.pos)) return (this.pos += 5), false;
    if (source.startsWith('null', this.pos)) return (this.pos += 4), null;
    const num = this.match(NUMBER) ?? this.fail('unexpected token');
    if (key === undefined || !this.exactKeys.has(key)) return Number(num);
    return this.as === 'text' ? num : new JsonNumber(num);
  }
}
