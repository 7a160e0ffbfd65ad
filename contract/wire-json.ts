/**
 * Reading and writing the JSON of the merchant API and webhooks. Amounts (the
 * values under AMOUNT_KEYS) are JSON numbers on the wire and exact decimal
 * strings in the contract: written from their text, read back as their text.
 * Plain JSON.parse would turn 0.123456789012345678 into 0.12345678901234568.
 */
import { AMOUNT_KEYS } from './common';
import { stringifyWithExactKeys } from './exact-json';
import { parseJsonKeepingNumbers } from './lossless-json';

export function writeWire(value: unknown): string {
  return stringifyWithExactKeys(value, AMOUNT_KEYS);
}

/** Throws a JsonSyntaxError for text that is not JSON. */
export function readWire(text: string): unknown {
  return parseJsonKeepingNumbers(text, AMOUNT_KEYS, 'text');
}
