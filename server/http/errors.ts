/**
 * One error path. Every error response is `{traceId, errorCode, message}`
 * (Calypso's shape) and its status comes from one exhaustive map, so a
 * client-caused failure can never surface as a 500.
 */
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';

export const ERROR_STATUS = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_CURRENCY: 400,
  UNAUTHORIZED: 401,
  INVALID_SIGNATURE: 401,
  TIMESTAMP_OUT_OF_RANGE: 401,
  ACCOUNT_MISMATCH: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 500>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Logger = Pick<Console, 'info' | 'warn' | 'error'>;

export function errorResponse(c: Context, code: ErrorCode, message: string) {
  return c.json({ traceId: randomUUID(), errorCode: code, message }, ERROR_STATUS[code]);
}

export function onError(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return errorResponse(c, err.code, err.message);
    // Hono raises HTTPException for malformed requests it rejects itself (e.g. body limit).
    const status = (err as { status?: number }).status;
    if (status === 413) return errorResponse(c, 'PAYLOAD_TOO_LARGE', 'the request body is larger than allowed');
    log.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
    return errorResponse(c, 'INTERNAL_ERROR', 'internal error; the traceId identifies it in our logs');
  };
}
