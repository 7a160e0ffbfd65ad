/**
 * The error body of every API (Calypso's PublicGatewayErrorResponse:
 * `{traceId, errorCode, message}`) and the one table from error code to HTTP
 * status. A client-caused failure is a 4xx by construction: only
 * INTERNAL_ERROR is a 500, and RATE_UNAVAILABLE (the rate sources, not the
 * client, failed) a 503.
 */
import { z } from 'zod';

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_CURRENCY: 400,
  UNAUTHORIZED: 401,
  INVALID_SIGNATURE: 401,
  TIMESTAMP_OUT_OF_RANGE: 401,
  ACCOUNT_MISMATCH: 401,
  /** These signed bytes were already accepted (by another route, or by this one, which is not safe to repeat). */
  REPLAYED_REQUEST: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  /** No rate source has a current rate (they failed, or their rates are too old): nothing was created; retry later. */
  RATE_UNAVAILABLE: 503,
} as const satisfies Record<string, 400 | 401 | 404 | 405 | 409 | 413 | 429 | 500 | 503>;

export type ErrorCode = keyof typeof ERROR_STATUS;
const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorBody = z
  .object({
    /** The request's id: also its X-Request-Id header and the key of every log line about it. */
    traceId: z.string(),
    errorCode: z.enum(ERROR_CODES),
    /** What went wrong, naming the field (`payload.amount: …`) where one is to blame. */
    message: z.string(),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBody>;
