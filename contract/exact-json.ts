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

/** JSON text of `value`, in which every decimal string under one of `exactKeys` is written as a JSON number, exactly. */
export function stringifyWithExactKeys(value: unknown, exactKeys: ReadonlySet<string>): string {
  const replacer = (key: string, v: unknown) => (typeof v === 'string' && exactKeys.has(key) ? new DecimalNumber(v).toJSON() : v);
  return JSON.stringify(value, replacer).replace(MARKED, '$1');
}
