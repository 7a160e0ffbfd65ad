/** Checks on request fields that several merchant routes share, each failure a 400 naming the field. */
import { amountText } from '../../contract/common';
import type { Clock } from '../clock';
import { ApiError } from '../http/errors';
import { DAY_MS } from '../invoices/state-machine';

/** A request amount's text; parseAmount forgives surrounding whitespace (other callers want that), but on the wire a padded amount is a client bug. */
export function requestAmount(field: string, value: number | string): { text: string; isNumber: boolean } {
  const amount = amountText(value);
  if (!amount.isNumber && amount.text !== amount.text.trim()) {
    throw new ApiError('VALIDATION_FAILED', `payload.${field} must be a decimal string without surrounding spaces, such as "0.15"`);
  }
  return amount;
}

export function checkExpiration(clock: Clock, expiration: number | undefined): void {
  const now = clock.now();
  if (expiration !== undefined && (expiration <= now || expiration > now + DAY_MS)) {
    throw new ApiError('VALIDATION_FAILED', 'payload.expiration must be in the future and at most 1 day ahead');
  }
}
