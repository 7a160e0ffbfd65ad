/**
 * Verifies a Payframe webhook on the merchant's server.
 *
 * @example
 * // Hono; any framework works if you pass the raw body, before any JSON parsing.
 * app.post('/payframe/webhooks', async (c) => {
 *   const result = verifyWebhook(await c.req.text(), c.req.raw.headers, process.env.PAYFRAME_WEBHOOK_SECRET!);
 *   if (!result.ok) return c.text(result.message, 400);
 *   if (await alreadyHandled(result.event.id)) return c.body(null, 204); // at least once: de-duplicate by id
 *   if (result.event.eventType === 'INVOICE_PAID') await markOrderPaid(result.event.data.externalId);
 *   return c.body(null, 204);
 * });
 *
 * It requires the Standard Webhooks headers (Payframe always sends them):
 * `webhook-signature` must match and `webhook-timestamp` be within 5
 * minutes, which stops a captured request from being replayed later.
 * Calypso's `Sign` alone (HMAC-SHA512 of the body, no timestamp) is refused,
 * since dropping the other headers would make any captured delivery
 * replayable forever; a receiver ported from Calypso that de-duplicates by
 * the event `id` may accept it with `{ allowUntimestamped: true }`.
 * Comparisons are timing-safe.
 */
import { webhookEvent, type WebhookEvent } from '../contract/webhook-events';
import { calypsoSign, sameSignature, signatureHeaders, standardSignature } from '../contract/signatures';
import { readWire, writeWire } from '../contract/wire-json';

export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export type WebhookFailure = 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'signature_mismatch' | 'invalid_payload';

export type WebhookVerification =
  | { ok: true; event: WebhookEvent; scheme: 'standard-webhooks' | 'calypso' }
  | { ok: false; reason: WebhookFailure; message: string };

export interface VerifyOptions {
  /** The current time in ms; Date.now by default. */
  now?: () => number;
  toleranceMs?: number;
  /**
   * Also accept a request signed only with Calypso's `Sign`. It has no
   * timestamp, so nothing stops a replay: only for receivers ported from
   * Calypso that de-duplicate by the event `id`.
   */
  allowUntimestamped?: boolean;
}

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

type HeaderSource = Record<string, string | string[] | undefined> | Headers;

function headerReader(headers: HeaderSource): (name: string) => string | undefined {
  if (headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
  return (name) => lower.get(name);
}

const fail = (reason: WebhookFailure, message: string): WebhookVerification => ({ ok: false, reason, message });

/** Checks the signature of a webhook and parses it. Never throws; see `parseWebhook` for the throwing form. */
export function verifyWebhook(rawBody: string | Uint8Array, headers: HeaderSource, secret: string, opts: VerifyOptions = {}): WebhookVerification {
  const header = headerReader(headers);
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  const sign = header('sign');
  let scheme: 'standard-webhooks' | 'calypso';

  if (id && timestamp && signatures) {
    if (!/^\d{1,15}$/.test(timestamp)) return fail('invalid_timestamp', 'webhook-timestamp is not a number of seconds');
    const now = (opts.now ?? Date.now)();
    if (Math.abs(now - Number(timestamp) * 1000) > (opts.toleranceMs ?? WEBHOOK_TOLERANCE_MS)) {
      return fail('timestamp_out_of_tolerance', 'webhook-timestamp is more than 5 minutes away from now: a replay, or this server’s clock is wrong');
    }
    const expected = standardSignature(secret, id, Number(timestamp), rawBody);
    if (!signatures.split(' ').some((s) => sameSignature(s, expected))) {
      return fail('signature_mismatch', 'no webhook-signature entry matches: wrong secret, or the body was changed (verify the raw bytes, before any JSON parsing)');
    }
    scheme = 'standard-webhooks';
  } else if (sign && opts.allowUntimestamped) {
    if (!sameSignature(sign.toLowerCase(), calypsoSign(secret, rawBody))) {
      return fail('signature_mismatch', 'Sign does not match: wrong secret, or the body was changed (verify the raw bytes, before any JSON parsing)');
    }
    scheme = 'calypso';
  } else if (sign) {
    return fail('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are required: Sign alone has no timestamp, so it cannot tell a replay (pass allowUntimestamped only if you de-duplicate by id)');
  } else {
    return fail('missing_headers', 'neither webhook-id/webhook-timestamp/webhook-signature nor Sign is present: not a Payframe webhook');
  }

  let json: unknown;
  try {
    json = readWire(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody));
  } catch {
    return fail('invalid_payload', 'the body is not JSON');
  }
  const parsed = webhookEvent.safeParse(json);
  if (!parsed.success) return fail('invalid_payload', `the body is not a Payframe webhook event: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  // The id is signed in the header; the body must name the same event.
  if (scheme === 'standard-webhooks' && String(parsed.data.id) !== id) return fail('invalid_payload', 'the body’s id differs from webhook-id');
  return { ok: true, event: parsed.data, scheme };
}

/** `verifyWebhook`, throwing a WebhookVerificationError (with its `reason`) instead of answering not ok. */
export function parseWebhook(rawBody: string | Uint8Array, headers: HeaderSource, secret: string, opts: VerifyOptions = {}): WebhookEvent {
  const result = verifyWebhook(rawBody, headers, secret, opts);
  if (!result.ok) throw new WebhookVerificationError(result.reason, result.message);
  return result.event;
}

export interface TestWebhookOptions {
  /** The subscription's secretKey (`whsec_…`). */
  secret: string;
  /** The subscription's publicKey, sent as the Key header; any string for a test. */
  publicKey?: string;
  /** When it was "sent", in ms; now by default. */
  timestampMs?: number;
}

/**
 * A webhook delivery signed as Payframe signs one, for testing a receiver
 * (Stripe's generateTestHeaderString, for Payframe): post `body` with
 * `headers` to your endpoint and it must verify.
 *
 * @example
 * const { body, headers } = signTestWebhook(event, { secret: process.env.PAYFRAME_WEBHOOK_SECRET! });
 * const res = await app.request('/payframe/webhooks', { method: 'POST', body, headers });
 */
export function signTestWebhook(event: WebhookEvent, opts: TestWebhookOptions): { body: string; headers: Record<string, string> } {
  const body = writeWire(event);
  const headers = signatureHeaders({
    publicKey: opts.publicKey ?? 'whpk_test',
    secretKey: opts.secret,
    id: String(event.id),
    timestampMs: opts.timestampMs ?? Date.now(),
    body,
  });
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}
