/**
 * The signed envelope of the merchant API (Calypso's scheme, see
 * contract/merchant-api.ts): headers `Key` and `Sign` = lowercase hex
 * HMAC-SHA512(secret, raw body), body `{timestamp, account, payload}`. The
 * signature is checked over the bytes as received — clients pretty-print,
 * so re-serializing would break it — then the bytes are claimed for this
 * route (replay-guard.ts), once.
 */
import { bodyLimit } from '../http/body-limit';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { AMOUNT_KEYS } from '../../contract/common';
import { JsonSyntaxError, parseJsonKeepingNumbers } from '../../contract/lossless-json';
import { envelope, TIMESTAMP_TOLERANCE_MS, type MerchantRoute } from '../../contract/merchant-api';
import { calypsoSign, sameSignature } from '../../contract/signatures';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { ApiError } from '../http/errors';
import { clientIp, type Limiters } from '../http/rate-limit';
import { apiKeyFinder } from '../merchants/merchants';
import type { SecretBox } from '../secrets/secret-box';
import type { ReplayGuard } from './replay-guard';
import { parseOrThrow } from './validation';

export const MAX_BODY_BYTES = 64 * 1024;
const SIGN = /^[0-9a-fA-F]{128}$/;

// Calypso's list calls send no payload at all.
const envelopeSchema = envelope(z.record(z.string(), z.unknown()).default({}));

export type SignedEnv = { Variables: { account: string; payload: Record<string, unknown>; requestId: string } };

export interface SignedDeps {
  db: Db;
  /** Opens the API secrets the signatures are checked with. */
  secrets: SecretBox;
  clock: Clock;
  limiters: Limiters;
  /** Absent: replays are not refused (REPLAY_PROTECTION=off, for benchmarks only). */
  replayGuard?: ReplayGuard | undefined;
}

const limited = (what: string, seconds: number) =>
  new ApiError('RATE_LIMITED', `${what}; retry in ${seconds} s`, { 'Retry-After': String(seconds) });

/** Hono's bodyLimit counts the bytes as they stream in, chunked bodies too, instead of trusting Content-Length. */
export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  },
});

/** Checks the envelope of one route's requests. */
export function signedRequest(deps: SignedDeps, route: MerchantRoute) {
  const { db, secrets, clock, limiters, replayGuard } = deps;
  const routeId = `${route.method} ${route.path}`;
  const findApiKey = apiKeyFinder(db, secrets);
  return createMiddleware<SignedEnv>(async (c, next) => {
    const wait = limiters.perIp.take(clientIp(c, limiters.limits.trustProxy));
    if (wait > 0) throw limited('too many requests from this address', wait);
    const key = c.req.header('key');
    const sign = c.req.header('sign');
    if (!key) throw new ApiError('UNAUTHORIZED', 'the Key header (your API public key) is missing');
    if (!sign || !SIGN.test(sign)) throw new ApiError('INVALID_SIGNATURE', 'the Sign header must be the hex HMAC-SHA512 of the raw body (128 hex digits)');
    const locked = limiters.failedSignatures.wait(key);
    if (locked > 0) throw limited('too many requests with a wrong signature for this Key', locked);
    const bytes = new Uint8Array(await c.req.arrayBuffer());

    const apiKey = await findApiKey(key);
    // Compute the HMAC even for an unknown key so the answer takes the same time.
    if (!sameSignature(calypsoSign(apiKey?.secret ?? 'unknown-key', bytes), sign.toLowerCase()) || !apiKey) {
      limiters.failedSignatures.take(key);
      throw new ApiError('INVALID_SIGNATURE', 'the Key is unknown or Sign does not match the HMAC-SHA512 of the raw body with your secret');
    }
    const keyWait = limiters.perKey.take(key);
    if (keyWait > 0) throw limited('too many requests with this Key', keyWait);

    let body: unknown;
    try {
      body = parseJsonKeepingNumbers(new TextDecoder('utf-8', { fatal: true }).decode(bytes), AMOUNT_KEYS);
    } catch (err) {
      const detail = err instanceof JsonSyntaxError ? err.message : 'the body is not valid UTF-8';
      throw new ApiError('INVALID_JSON', `the body is not valid JSON: ${detail}`);
    }
    const parsed = parseOrThrow(envelopeSchema, body, '');
    if (Math.abs(parsed.timestamp - clock.now()) > TIMESTAMP_TOLERANCE_MS) {
      throw new ApiError('TIMESTAMP_OUT_OF_RANGE', 'timestamp must be the current time in milliseconds, within 3 minutes of our clock');
    }
    if (parsed.account.toLowerCase() !== apiKey.account) throw new ApiError('ACCOUNT_MISMATCH', 'account does not belong to this API key');
    if (parsed.path !== undefined && parsed.path !== route.path) {
      throw new ApiError('REPLAYED_REQUEST', `this signed request names the route ${parsed.path}; sign a new request for ${route.path}`);
    }

    // Claimed whatever the route then answers: bytes that failed here (a 400, even a 500) must not become good
    // at another route (a create body sent to /subscription/webhook would answer every secret). A client that
    // retries signs again, with a new timestamp; the typed client does.
    const first = replayGuard ? await replayGuard.claim(sign.toLowerCase(), routeId, parsed.timestamp + TIMESTAMP_TOLERANCE_MS) : null;
    if (first !== null && !(first === routeId && repeatable(route, parsed.payload))) {
      throw new ApiError(
        'REPLAYED_REQUEST',
        first === routeId
          ? `this signed request was already accepted, and ${routeId} is not safe to repeat; sign a new request (a new timestamp)`
          : 'this signed request was made for another route; sign a new request for this one',
      );
    }
    c.set('account', apiKey.account);
    c.set('payload', parsed.payload);
    await next();
  });
}

/** The same bytes again at the same route: an honest retry where the route is idempotent by design. */
function repeatable(route: MerchantRoute, payload: Record<string, unknown>): boolean {
  if (route.replay === 'retry') return true;
  if (route.replay === 'with-idempotency-key') return typeof payload.idempotencyKey === 'string' && payload.idempotencyKey.trim() !== '';
  return false;
}
