/**
 * One attempt at a delivery: the target checked again (its DNS may have
 * changed since the subscription), the body rendered and signed, one POST
 * without redirects, all within one deadline.
 */
import { signatureHeaders } from '../../contract/signatures';
import type { SecretBox } from '../secrets/secret-box';
import type { Claimed } from './claim';
import type { SendFn } from './http-send';
import { renderBody } from './payload';
import { signingSecrets } from './subscriptions';
import { checkTarget, type TargetPolicy } from './targets';

const USER_AGENT = 'Payframe-Webhooks/1';

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responsePrefix: string | null;
}

export interface AttemptDeps {
  secrets: SecretBox;
  targets: TargetPolicy;
  send: SendFn;
  timeoutMs: number;
  /** Aborts the attempt when the worker stops. */
  stopping: AbortSignal;
}

/** Sends `d` once, at `startedAt` (its signature's timestamp). Throws when no answer came: the caller records why. */
export async function attemptDelivery({ secrets, targets, send, timeoutMs, stopping }: AttemptDeps, d: Claimed, startedAt: number): Promise<AttemptResult> {
  const url = new URL(d.url);
  // One deadline for the whole attempt, the DNS lookup included: a slow resolver may hold a delivery's place no longer than a slow receiver.
  const deadline = new AbortController();
  let late = `the host ${url.hostname} did not resolve within ${timeoutMs / 1000} s`;
  const timer = setTimeout(() => deadline.abort(new Error(late)), timeoutMs);
  const signal = AbortSignal.any([stopping, deadline.signal]);
  try {
    const target = await checkTarget(url, targets, signal);
    if (!target.ok) return { ok: false, statusCode: null, error: `refused: ${target.reason}`, responsePrefix: null };
    late = `no complete answer within ${timeoutMs / 1000} s`;
    const body = renderBody({ requestId: d.request_id, deliveryId: d.id, createdAt: d.event_created_at, level: d.level, eventType: d.event_type, data: d.data });
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signatureHeaders({ publicKey: d.public_key, ...signingSecrets(secrets, d, startedAt), id: String(d.id), timestampMs: startedAt, body }),
    };
    const response = await send({ url, addresses: target.addresses, headers, body, signal });
    return { ok: response.status >= 200 && response.status < 300, statusCode: response.status, error: null, responsePrefix: response.bodyPrefix };
  } finally {
    clearTimeout(timer);
  }
}
