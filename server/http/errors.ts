/**
 * One error path. Every error response is `{traceId, errorCode, message}`
 * (Calypso's shape), its status comes from the contract's one table
 * (contract/errors.ts), and its traceId is the request's id: the
 * X-Request-Id header and the key of every log line about the request.
 * - ApiError: what the HTTP layer refuses (signature, body, rate).
 * - DomainError: what the domain refuses; DOMAIN_TO_API maps it.
 * - Hono's HTTPException (a malformed request the framework rejects) keeps its 4xx status.
 * - Anything else is a bug: logged with the request id, answered with a generic 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../contract/errors';
import { DomainError, type DomainErrorCode } from '../domain-error';
import type { Logger } from '../logger';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (Retry-After on a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const DOMAIN_TO_API: Record<DomainErrorCode, ErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'IDEMPOTENCY_CONFLICT',
  INVALID_STATE: 'INVALID_STATE',
  UNSUPPORTED_CURRENCY: 'UNSUPPORTED_CURRENCY',
  MISSING_XPUB: 'VALIDATION_FAILED',
  LIMIT_REACHED: 'VALIDATION_FAILED',
  RATE_UNAVAILABLE: 'RATE_UNAVAILABLE',
};

/** The status a framework HTTPException carries, as the closest error code. */
const STATUS_TO_CODE: Partial<Record<number, ErrorCode>> = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED' };

/** The domain's message as a merchant reads it: the field named as in the request, and how to fix what the API cannot. */
function domainMessage(err: DomainError): string {
  const where = err.field ? `payload.${err.field}: ` : '';
  if (err.code === 'MISSING_XPUB') {
    return `${where}${err.message}; set one with: npm run cli -- merchant set-xpub --account <account> --chain ${err.keyFamily ?? 'evm'} <xpub>`;
  }
  return `${where}${err.message}`;
}

export function requestIdOf(c: Context): string {
  return (c.get('requestId') as string | undefined) ?? 'unknown';
}

export function errorResponse(c: Context, code: ErrorCode, message: string, status: number = ERROR_STATUS[code]) {
  const body: ErrorBody = { traceId: requestIdOf(c), errorCode: code, message };
  return c.json(body, status as 400);
}

export function onError(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return errorResponse(c, err.code, err.message);
    }
    if (err instanceof DomainError) return errorResponse(c, DOMAIN_TO_API[err.code], domainMessage(err));
    if (err instanceof HTTPException && err.status >= 400 && err.status < 500) {
      return errorResponse(c, STATUS_TO_CODE[err.status] ?? 'BAD_REQUEST', err.message || 'the request was refused', err.status);
    }
    log.error('unhandled error', { requestId: requestIdOf(c), method: c.req.method, path: c.req.path, error: err.stack ?? String(err) });
    return errorResponse(c, 'INTERNAL_ERROR', 'internal error; quote the traceId to the operator, who finds it in the logs');
  };
}
