/**
 * Keeps a checkout up to date.
 *
 * SSE first. The browser's EventSource reconnects by itself after a dropped
 * connection and sends `Last-Event-ID`, so the server replays every version
 * the page missed. When SSE does not work — a proxy that blocks or buffers it,
 * an error status, reconnects that keep failing — it falls back to polling
 * GET /api/checkout/:id with `If-None-Match`, which costs a 304 while nothing
 * changes. Once the view says `final` it stops. An invoice ARCHIVED because it
 * expired is not final for a day (a late payment still shows), but nothing is
 * likely to happen to it: polling it slows to every 30 s.
 */
import type { CheckoutView } from '../../contract/checkout';
import type { Timers } from './countdown';

export type Transport = 'sse' | 'polling' | 'done';

export interface LiveDeps {
  /** Absent where the browser has none: polling from the start. */
  EventSource?: typeof EventSource | undefined;
  fetch: typeof fetch;
  timers: Timers;
  pollMs?: number;
  /** An SSE connection that has not opened by then counts as failed (buffering proxies hold it). */
  openTimeoutMs?: number;
}

export interface LiveOptions {
  /** The checkout API URL of the invoice, e.g. /api/checkout/inv_…; the stream is at `${url}/events`. */
  url: string;
  /** The view the page already shows. */
  view: Pick<CheckoutView, 'version' | 'state' | 'final'>;
  onView(view: CheckoutView): void;
  onTransport?(transport: Transport): void;
}

const CLOSED = 2;
/** Consecutive SSE errors without an open in between before we give up on SSE. */
const SSE_MAX_ERRORS = 2;
const MAX_BACKOFF_MS = 30_000;
/** Polling an expired invoice, which only waits for a late payment. */
export const EXPIRED_POLL_MS = 30_000;

/** Starts following the invoice; returns the function that stops it. */
export function connectLive(opts: LiveOptions, deps: LiveDeps): () => void {
  const pollMs = deps.pollMs ?? 2_000;
  let version = opts.view.version;
  let state = opts.view.state;
  let stopped = false;
  let source: EventSource | undefined;
  let timer: unknown;

  const setTransport = (t: Transport) => opts.onTransport?.(t);

  function stop() {
    if (stopped) return;
    stopped = true;
    source?.close();
    deps.timers.clearTimeout(timer);
    setTransport('done');
  }

  function accept(view: CheckoutView) {
    // SSE starts with the snapshot, and a resumed stream can overlap a poll: versions only go forward.
    // The same version comes again only when the late-payment window closed and made it final.
    if (stopped || view.version < version || (view.version === version && !view.final)) return;
    version = view.version;
    state = view.state;
    opts.onView(view);
    if (view.final) stop();
  }

  function poll(delay: number) {
    timer = deps.timers.setTimeout(async () => {
      let backoff: number | undefined;
      try {
        const res = await deps.fetch(opts.url, { headers: { 'If-None-Match': `"${version}"` }, cache: 'no-store' });
        if (res.status === 200) accept((await res.json()) as CheckoutView);
        else if (res.status !== 304) backoff = Math.min(delay * 2, MAX_BACKOFF_MS);
      } catch {
        backoff = Math.min(Math.max(delay, pollMs) * 2, MAX_BACKOFF_MS);
      }
      // The state as of this answer: the one that just expired slows down at once.
      if (!stopped) poll(backoff ?? (state === 'ARCHIVED' ? EXPIRED_POLL_MS : pollMs));
    }, delay);
  }

  function fallBack() {
    source?.close();
    source = undefined;
    deps.timers.clearTimeout(timer);
    if (stopped) return;
    setTransport('polling');
    // Poll at once: whatever broke SSE may have hidden a change.
    poll(0);
  }

  if (opts.view.final) {
    stop();
  } else if (!deps.EventSource) {
    fallBack();
  } else {
    let errors = 0;
    const es = (source = new deps.EventSource(`${opts.url}/events`));
    timer = deps.timers.setTimeout(fallBack, deps.openTimeoutMs ?? 10_000);
    es.addEventListener('open', () => {
      errors = 0;
      deps.timers.clearTimeout(timer);
      setTransport('sse');
    });
    es.addEventListener('invoice', (e) => accept(JSON.parse((e as MessageEvent<string>).data) as CheckoutView));
    es.addEventListener('error', () => {
      if (stopped || source !== es) return;
      // CLOSED: the browser will not retry (e.g. an error status). Otherwise it is reconnecting with Last-Event-ID.
      if (es.readyState === CLOSED || ++errors >= SSE_MAX_ERRORS) fallBack();
    });
  }
  return stop;
}
