/**
 * Calypso's wire format writes amounts as JSON numbers. JSON.stringify would
 * round any amount with more than 15–17 digits, so an amount is carried as a
 * `DecimalNumber` and written out as its exact text.
 */
import { randomBytes } from 'node:crypto';

// What JSON allows as a number, without an exponent. Any other text would be
// written out as invalid JSON ("007") or as a string carrying the marker ("1e5").
const DECIMAL_TEXT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

export class DecimalNumber {
  constructor(readonly text: string) {
    if (!DECIMAL_TEXT.test(text)) throw new TypeError(`DecimalNumber takes plain decimal text such as "0.15", not ${JSON.stringify(text)}; write amounts with formatUnits`);
  }
  toJSON(): string {
    return `${MARK}${this.text}`;
  }
}

// A per-process random marker: no client string can contain it by accident or design.
const MARK = `\u0000dec-${randomBytes(8).toString('hex')}:`;
const MARKED = new RegExp(`"\\\\u0000dec-${MARK.slice(5, 21)}:(-?[0-9]+(?:\\.[0-9]+)?)"`, 'g');

export function stringifyExact(value: unknown): string {
  return JSON.stringify(value).replace(MARKED, '$1');
}

/**
 * JSON text of `value`, in which every string under one of `exactKeys` (a property of an object, at any depth)
 * is written as a JSON number, exactly; such a string that is not plain decimal text throws a TypeError.
 *
 * Written by JSON.stringify without a replacer, then each `"key":"text"` of those keys rewritten in its output:
 * a replacer called for every value was a quarter of what writing an invoice's answer cost. In JSON.stringify's
 * output a `"` inside a string is always escaped (`\"`), so a `"` right after `{` or `,` opens a key, never a
 * string's inside: no client text can be taken for a key.
 */
export function stringifyWithExactKeys(value: unknown, exactKeys: ReadonlySet<string>): string {
  const { decimal, left } = exactKeyPatterns(exactKeys);
  const text = JSON.stringify(value).replace(decimal, '$1"$2":$3');
  // Any string still under one of the keys is not decimal text: as a DecimalNumber would, refuse it.
  const refused = left.exec(text);
  if (refused) throw new TypeError(`the value of "${refused[1]}" must be plain decimal text such as "0.15", not ${refused[2]}"`);
  // A DecimalNumber elsewhere in `value` (toJSON's marked string), as stringifyExact writes it.
  return text.includes('\\u0000dec-') ? text.replace(MARKED, '$1') : text;
}

const patterns = new WeakMap<ReadonlySet<string>, { decimal: RegExp; left: RegExp }>();
/**
 * `{` or `,`, then one of the keys as JSON writes it, then `:"`; `decimal` then takes plain decimal text and the
 * closing quote, `left` any string's text.
 */
function exactKeyPatterns(exactKeys: ReadonlySet<string>): { decimal: RegExp; left: RegExp } {
  let found = patterns.get(exactKeys);
  if (!found) {
    const keys = [...exactKeys].map((key) => JSON.stringify(key).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    found = {
      decimal: new RegExp(`([{,])"(${keys})":"(${DECIMAL_TEXT.source.slice(1, -1)})"`, 'g'),
      left: new RegExp(`[{,]"(${keys})":("(?:[^"\\\\]|\\\\.)*)"`),
    };
    patterns.set(exactKeys, found);
  }
  return found;
}
