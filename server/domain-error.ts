/**
 * What the domain (the engine, subscriptions, the delivery log) refuses, in
 * its own terms. It knows nothing of HTTP: server/http/errors.ts maps each
 * code to the API's error code and status, in one table.
 */
export type DomainErrorCode =
  /** No such thing for this merchant. */
  | 'NOT_FOUND'
  /** An idempotency key or request id already used with other content. */
  | 'CONFLICT'
  /** The thing exists but its state does not allow the request. */
  | 'INVALID_STATE'
  | 'UNSUPPORTED_CURRENCY'
  /** The merchant has no extended public key for the chain the currency is paid on. */
  | 'MISSING_XPUB'
  /** A per-merchant limit (e.g. the number of webhook subscriptions). */
  | 'LIMIT_REACHED'
  /** No rate source has a current rate for the pair: Payframe does not quote rather than guess. */
  | 'RATE_UNAVAILABLE';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field at fault, when one is: named in the API's message. */
    readonly field?: string,
    /** For MISSING_XPUB: the key family the merchant must set. */
    readonly keyFamily?: string,
  ) {
    super(message);
  }
}
