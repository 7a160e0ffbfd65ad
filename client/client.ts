/**
 * The typed merchant client: one method per route of the merchant API
 * (contract/merchant-api.ts), each signing its request as Calypso's scheme
 * asks — `Sign` = hex HMAC-SHA512 of the exact body bytes sent.
 *
 * @example
 * import { createClient } from 'payframe/client';
 * const payframe = createClient({ baseUrl: 'https://pay.example.com', account, key, secret });
 * const invoice = await payframe.createInvoice({ amount: '0.01', currency: 'ETH', description: 'Order 42', idempotencyKey: 'order-42' });
 * redirect(invoice.paymentUrl);
 *
 * Amounts come back as exact decimal strings ("0.123456789012345678"):
 * they are JSON numbers on the wire, read without rounding.
 */
import type { z } from 'zod';
import { errorBody, type ErrorCode } from '../contract/errors';
import { merchantApi, type MerchantApi, type MerchantRoute } from '../contract/merchant-api';
import { calypsoSign } from '../contract/signatures';
import { readWire } from '../contract/wire-json';

export interface ClientOptions {
  /** Where Payframe runs, e.g. https://pay.example.com (no trailing /api). */
  baseUrl: string;
  /** The merchant account: 0x and 40 hex digits. */
  account: string;
  /** The API key (the Key header). */
  key: string;
  /** The API secret. Keep it on your server: it signs every request. */
  secret: string;
  /** Defaults to the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The clock for the envelope's timestamp; Date.now by default. */
  now?: () => number;
}

/** A call Payframe answered with an error body (`{traceId, errorCode, message}`), or with something that is not one. */
export class PayframeApiError extends Error {
  override readonly name = 'PayframeApiError';
  constructor(
    readonly status: number,
    readonly errorCode: ErrorCode | 'UNEXPECTED_RESPONSE',
    message: string,
    /** Quote it to Payframe's operator: it finds the request in their logs. */
    readonly traceId: string | null,
  ) {
    super(message);
  }
}

export type Client = {
  [K in keyof MerchantApi]: (payload: z.input<MerchantApi[K]['payload']>) => Promise<z.output<MerchantApi[K]['response']>>;
};

/** The signed request for one call: the exact body and the headers that sign it. */
export interface SignedRequest {
  method: MerchantRoute['method'];
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Indent the JSON, as many clients do: the signature covers the bytes, whatever their layout. */
  pretty?: boolean;
}

export function createClient(opts: ClientOptions): Client & { sign(route: Pick<MerchantRoute, 'method' | 'path'>, payload: unknown, o?: SignOptions): SignedRequest } {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const now = opts.now ?? Date.now;
  let lastTimestamp = 0;
  /** The bodies signed with `lastTimestamp`. */
  const signedAtLast = new Set<string>();

  /**
   * Two calls with the same payload in the same millisecond would be the same
   * bytes, which Payframe refuses as a replay: the second takes the next
   * millisecond. Timestamps never go back, and different calls in one
   * millisecond keep it, so a client making thousands of calls a second stays
   * at the clock (a timestamp more than 3 minutes off is refused).
   */
  function sign(route: Pick<MerchantRoute, 'method' | 'path'>, payload: unknown, o: SignOptions = {}): SignedRequest {
    // The route is in the signed bytes, so this request is good at that route only.
    const bodyAt = (timestamp: number) => JSON.stringify({ timestamp, account: opts.account, path: route.path, payload }, null, o.pretty ? 2 : undefined);
    let timestamp = Math.max(now(), lastTimestamp);
    let body = bodyAt(timestamp);
    if (timestamp === lastTimestamp && signedAtLast.has(body)) body = bodyAt(++timestamp);
    if (timestamp !== lastTimestamp) {
      lastTimestamp = timestamp;
      signedAtLast.clear();
    }
    signedAtLast.add(body);
    return {
      method: route.method,
      url: `${baseUrl}/api/v1${route.path}`,
      body,
      headers: { 'content-type': 'application/json', Key: opts.key, Sign: calypsoSign(opts.secret, body) },
    };
  }

  async function call(route: MerchantRoute, payload: unknown): Promise<unknown> {
    const request = sign(route, payload);
    const res = await doFetch(request.url, { method: request.method, headers: request.headers, body: request.body });
    const text = await res.text();
    let json: unknown;
    try {
      json = readWire(text);
    } catch {
      throw new PayframeApiError(res.status, 'UNEXPECTED_RESPONSE', `${route.path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`, null);
    }
    if (!res.ok) {
      const error = errorBody.safeParse(json);
      if (!error.success) throw new PayframeApiError(res.status, 'UNEXPECTED_RESPONSE', `${route.path} answered ${res.status}: ${text.slice(0, 200)}`, null);
      throw new PayframeApiError(res.status, error.data.errorCode, `${route.path}: ${error.data.message}`, error.data.traceId);
    }
    const parsed = route.response.safeParse(json);
    if (!parsed.success) {
      throw new PayframeApiError(res.status, 'UNEXPECTED_RESPONSE', `${route.path} answered a body this client does not know: ${parsed.error.issues[0]?.message}`, null);
    }
    return parsed.data;
  }

  const methods = Object.fromEntries(Object.entries(merchantApi).map(([name, route]) => [name, (payload: unknown) => call(route, payload)])) as Client;
  return { ...methods, sign };
}
