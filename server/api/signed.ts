/**
 * The signed envelope of the merchant API (Calypso's scheme):
 * headers `Key` and `Sign` = lowercase hex HMAC-SHA512(secret, raw body),
 * body `{timestamp, account, payload}`. The signature is checked over the
 * bytes as received — clients pretty-print, so re-serializing would break it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { Db } from '../db/schema';
import { ApiError } from '../http/errors';
import { JsonSyntaxError, parseJsonKeepingNumbers } from '../http/lossless-json';
import { findApiKey } from '../merchants/merchants';
import type { Clock } from '../invoices/engine';
import { parseOrThrow } from './validation';

export const TIMESTAMP_TOLERANCE_MS = 3 * 60 * 1000;
export const MAX_BODY_BYTES = 64 * 1024;
const SIGN = /^[0-9a-fA-F]{128}$/;
const EXACT_KEYS = new Set(['amount']);

const envelopeSchema = z.object({
  timestamp: z.number().int(),
  account: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be 0x followed by 40 hex digits'),
  // Calypso's list calls send no payload at all.
  payload: z.record(z.string(), z.unknown()).default({}),
});

export type SignedEnv = { Variables: { account: string; payload: Record<string, unknown> } };

export function signHmac(secret: string, body: string | Uint8Array): string {
  return createHmac('sha512', secret).update(body).digest('hex');
}

/**
 * Reads the body and refuses it as soon as it passes MAX_BODY_BYTES: a
 * chunked body has no Content-Length to check up front, and buffering it
 * whole would let one client fill our memory.
 */
async function readBody(req: Request): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
}

export function signedRequest(db: Db, clock: Clock) {
  return createMiddleware<SignedEnv>(async (c, next) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    const key = c.req.header('key');
    const sign = c.req.header('sign');
    if (!key) throw new ApiError('UNAUTHORIZED', 'the Key header (your API public key) is missing');
    if (!sign || !SIGN.test(sign)) throw new ApiError('INVALID_SIGNATURE', 'the Sign header must be the hex HMAC-SHA512 of the raw body (128 hex digits)');
    const bytes = await readBody(c.req.raw);

    const apiKey = await findApiKey(db, key);
    // Compute the HMAC even for an unknown key so the answer takes the same time.
    const expected = createHmac('sha512', apiKey?.secret ?? 'unknown-key').update(bytes).digest();
    if (!apiKey || !timingSafeEqual(expected, Buffer.from(sign, 'hex'))) {
      throw new ApiError('INVALID_SIGNATURE', 'the Key is unknown or Sign does not match the HMAC-SHA512 of the raw body with your secret');
    }

    let body: unknown;
    try {
      body = parseJsonKeepingNumbers(new TextDecoder('utf-8', { fatal: true }).decode(bytes), EXACT_KEYS);
    } catch (err) {
      const detail = err instanceof JsonSyntaxError ? err.message : 'the body is not valid UTF-8';
      throw new ApiError('INVALID_JSON', `the body is not valid JSON: ${detail}`);
    }
    const envelope = parseOrThrow(envelopeSchema, body, '');
    if (Math.abs(envelope.timestamp - clock.now()) > TIMESTAMP_TOLERANCE_MS) {
      throw new ApiError('TIMESTAMP_OUT_OF_RANGE', 'timestamp must be the current time in milliseconds, within 3 minutes of our clock');
    }
    if (envelope.account.toLowerCase() !== apiKey.account) {
      throw new ApiError('ACCOUNT_MISMATCH', 'account does not belong to this API key');
    }
    c.set('account', apiKey.account);
    c.set('payload', envelope.payload);
    await next();
  });
}
