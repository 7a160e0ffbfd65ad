/**
 * Calypso's signature, which signs every merchant API request and every
 * webhook, and the Standard Webhooks signature webhooks carry beside it.
 * The server, the merchant client and the tests all sign here.
 *
 * - An API request: `Sign` = lowercase hex HMAC-SHA512 of the raw body,
 *   keyed with the merchant's API secret.
 *
 * A subscription's secretKey is a Standard Webhooks secret: `whsec_` and the
 * base64 of 32 random bytes.
 * - Calypso's scheme: `Sign` = lowercase hex HMAC-SHA512 of the raw body,
 *   keyed with the secretKey string itself (all of it, `whsec_` included) —
 *   the way Calypso's API secrets are used.
 * - Standard Webhooks: `webhook-signature` = `v1,` + base64 HMAC-SHA256 of
 *   `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the bytes the
 *   base64 after `whsec_` decodes to — what the standard libraries do with
 *   the same string.
 * So `new Webhook(secretKey).verify(…)` (standardwebhooks) and an HMAC-SHA512
 * with secretKey both verify one delivery.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** The HMAC-SHA256 key of the Standard Webhooks signature. */
function standardKey(secretKey: string): Buffer {
  const base64 = secretKey.startsWith(SECRET_PREFIX) ? secretKey.slice(SECRET_PREFIX.length) : secretKey;
  return Buffer.from(base64, 'base64');
}

/** Calypso's `Sign`: lowercase hex HMAC-SHA512 of the raw body, keyed with the secret string. */
export function calypsoSign(secret: string, body: string | Uint8Array): string {
  return createHmac('sha512', secret).update(body).digest('hex');
}

/** Compares two signatures in constant time (for equal lengths; a length differs only for a malformed one). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `v1,<base64>`: one entry of the webhook-signature header. */
export function standardSignature(secretKey: string, id: string, timestampSeconds: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', standardKey(secretKey)).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export interface SignInput {
  publicKey: string;
  secretKey: string;
  /** A rotated-out secret still in its grace period: it signs too, so receivers can switch without a gap. */
  previousSecretKey?: string | null | undefined;
  id: string;
  timestampMs: number;
  body: string;
}

export function signatureHeaders(s: SignInput): Record<string, string> {
  const timestamp = Math.floor(s.timestampMs / 1000);
  const signatures = [s.secretKey, ...(s.previousSecretKey ? [s.previousSecretKey] : [])].map((key) => standardSignature(key, s.id, timestamp, s.body));
  return {
    Key: s.publicKey,
    Sign: calypsoSign(s.secretKey, s.body),
    'webhook-id': s.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
