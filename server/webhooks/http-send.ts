/**
 * One webhook POST over node:http(s). It connects only to the addresses the
 * target check approved (the request's DNS lookup is pinned to them), follows
 * no redirect (a 3xx is an answer, and not a 2xx), gives up when its signal
 * aborts (the worker's deadline), and keeps only a short prefix of the
 * response body.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './targets';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** The part of a response body kept in the attempt log. */
const RESPONSE_PREFIX_CHARS = 256;
/** A longer body is cut off here (the connection is dropped rather than drained). */
const MAX_DRAIN_BYTES = 64 * 1024;

interface OutgoingWebhook {
  url: URL;
  addresses: readonly ResolvedAddress[];
  headers: Record<string, string>;
  body: string;
  /** Aborted at the attempt's deadline, or when the worker stops (the delivery then stays pending for the next start). */
  signal: AbortSignal;
}

interface WebhookResponse {
  status: number;
  bodyPrefix: string;
}

/** Resolves with the receiver's answer; rejects when there is none (refused, reset, timed out, aborted). */
export type SendFn = (request: OutgoingWebhook) => Promise<WebhookResponse>;

export function createHttpSender(opts: { maxSockets: number }): { send: SendFn; close(): void } {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
  };

  const send: SendFn = (r) =>
    new Promise<WebhookResponse>((resolve, reject) => {
      const secure = r.url.protocol === 'https:';
      const pinned: LookupFunction = (_host, options, callback) => {
        const candidates = r.addresses.filter((a) => !options.family || a.family === options.family);
        if (options.all) (callback as (err: null, all: ResolvedAddress[]) => void)(null, candidates);
        else callback(null, candidates[0]?.address ?? '', candidates[0]?.family ?? 4);
      };
      const request = (secure ? https : http).request(r.url, {
        method: 'POST',
        agent: agents[secure ? 'https:' : 'http:'],
        headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
        lookup: pinned,
        signal: r.signal,
      });
      // Aborted, node reports a generic AbortError: the signal's reason says why.
      const fail = (err: Error) => reject(r.signal.aborted ? r.signal.reason : err);
      request.on('error', fail);
      request.on('response', (response) => {
        let prefix = '';
        let size = 0;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (prefix.length < RESPONSE_PREFIX_CHARS) prefix += chunk.slice(0, RESPONSE_PREFIX_CHARS - prefix.length);
          size += chunk.length;
          if (size > MAX_DRAIN_BYTES) {
            response.destroy();
            resolve({ status: response.statusCode ?? 0, bodyPrefix: prefix });
          }
        });
        response.on('error', fail);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bodyPrefix: prefix }));
      });
      request.end(r.body);
    });

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
