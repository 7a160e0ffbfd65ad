import { describe, expect, it } from 'vitest';
import type { CheckoutView } from '../../contract/checkout';
import type { Timers } from './countdown';
import { connectLive, EXPIRED_POLL_MS, type LiveDeps, type Transport } from './live';

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, ((e: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, event: unknown = {}) {
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
  open() {
    this.readyState = 1;
    this.emit('open');
  }
  send(view: Partial<CheckoutView>) {
    this.emit('invoice', { data: JSON.stringify(view) });
  }
  drop(readyState: 0 | 2 = 0) {
    this.readyState = readyState;
    this.emit('error');
  }
}

function fakeTimers() {
  const queue: { fn: () => void; ms: number; id: number }[] = [];
  let next = 0;
  const timers: Timers = {
    setTimeout(fn, ms) {
      const t = { fn, ms, id: next++ };
      queue.push(t);
      return t;
    },
    clearTimeout(handle) {
      const i = queue.indexOf(handle as (typeof queue)[number]);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  return {
    timers,
    pending: () => queue.map((t) => t.ms),
    /** Runs the earliest timer and lets its promises settle. */
    async fire() {
      const t = queue.shift();
      if (!t) throw new Error('no timer pending');
      t.fn();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const view = (version: number, state: CheckoutView['state'] = 'PENDING_PAYMENT', final = false) => ({ version, state, final }) as CheckoutView;

function setup(opts: { eventSource?: boolean; responses?: (Response | Error)[] } = {}) {
  FakeEventSource.instances = [];
  const t = fakeTimers();
  const requests: { url: string; etag: string | null }[] = [];
  const responses = opts.responses ?? [];
  const deps: LiveDeps = {
    EventSource: opts.eventSource === false ? undefined : (FakeEventSource as unknown as typeof EventSource),
    timers: t.timers,
    pollMs: 2_000,
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, etag: new Headers(init.headers).get('if-none-match') });
      const r = responses.shift() ?? new Response(null, { status: 304 });
      if (r instanceof Error) throw r;
      return r;
    }) as typeof fetch,
  };
  const seen: number[] = [];
  const transports: Transport[] = [];
  const stop = connectLive(
    { url: '/api/checkout/inv_1', view: view(3), onView: (v) => seen.push(v.version), onTransport: (tr) => transports.push(tr) },
    deps,
  );
  return { t, requests, seen, transports, stop, es: () => FakeEventSource.instances.at(-1)! };
}

const json = (v: CheckoutView) => new Response(JSON.stringify(v), { status: 200, headers: { ETag: `"${v.version}"` } });

describe('connectLive', () => {
  it('follows the SSE stream and ignores versions it already shows', () => {
    const s = setup();
    expect(s.es().url).toBe('/api/checkout/inv_1/events');
    s.es().open();
    s.es().send(view(3));
    s.es().send(view(4, 'MEM_POOL_FOUND'));
    s.es().send(view(4, 'MEM_POOL_FOUND'));
    expect(s.seen).toEqual([4]);
    expect(s.transports).toEqual(['sse']);
  });

  it('keeps SSE through one drop, since EventSource resumes with Last-Event-ID', () => {
    const s = setup();
    s.es().open();
    s.es().drop();
    s.es().open();
    s.es().drop();
    expect(s.es().closed).toBe(false);
    expect(s.transports).toEqual(['sse', 'sse']);
  });

  it('falls back to polling with the ETag when reconnects keep failing', async () => {
    const s = setup({ responses: [new Response(null, { status: 304 }), json(view(5, 'PAID'))] });
    s.es().open();
    s.es().drop();
    s.es().drop();
    expect(s.es().closed).toBe(true);
    expect(s.transports.at(-1)).toBe('polling');
    await s.t.fire();
    expect(s.requests[0]).toEqual({ url: '/api/checkout/inv_1', etag: '"3"' });
    await s.t.fire();
    expect(s.seen).toEqual([5]);
    await s.t.fire();
    expect(s.requests[2]!.etag).toBe('"5"');
  });

  it('falls back at once when the browser gives up on the stream (an error status)', async () => {
    const s = setup({ responses: [json(view(4, 'MEM_POOL_FOUND'))] });
    s.es().drop(2);
    expect(s.transports).toEqual(['polling']);
    await s.t.fire();
    expect(s.seen).toEqual([4]);
  });

  it('falls back when the stream does not open in time', () => {
    const s = setup();
    expect(s.t.pending()).toEqual([10_000]);
    void s.t.fire();
    expect(s.es().closed).toBe(true);
    expect(s.transports).toEqual(['polling']);
  });

  it('polls from the start where there is no EventSource', async () => {
    const s = setup({ eventSource: false });
    expect(FakeEventSource.instances).toHaveLength(0);
    await s.t.fire();
    expect(s.requests).toHaveLength(1);
  });

  it('backs off while polling fails', async () => {
    const s = setup({ eventSource: false, responses: [new Error('offline'), new Error('offline'), new Response(null, { status: 503 })] });
    await s.t.fire();
    expect(s.t.pending()).toEqual([4_000]);
    await s.t.fire();
    expect(s.t.pending()).toEqual([8_000]);
    await s.t.fire();
    expect(s.t.pending()).toEqual([16_000]);
  });

  it('sends nothing more after a final state', async () => {
    const s = setup({ responses: [json(view(9, 'COMPLETED', true))] });
    s.es().drop(2);
    await s.t.fire();
    expect(s.seen).toEqual([9]);
    expect(s.t.pending()).toEqual([]);
    expect(s.transports.at(-1)).toBe('done');
  });

  it('closes the stream on a final state that arrives by SSE', () => {
    const s = setup();
    s.es().open();
    s.es().send(view(6, 'ARCHIVED', true));
    expect(s.es().closed).toBe(true);
    expect(s.t.pending()).toEqual([]);
  });

  it('keeps following an invoice archived as expired, so a late payment still shows', () => {
    const s = setup();
    s.es().open();
    s.es().send(view(4, 'ARCHIVED'));
    expect(s.es().closed).toBe(false);
    s.es().send(view(5, 'PENDING_INTERVENTION'));
    expect(s.seen).toEqual([4, 5]);
  });

  it('polls an expired invoice every 30 s instead of every 2 s', async () => {
    const s = setup({ eventSource: false, responses: [json(view(4, 'ARCHIVED'))] });
    await s.t.fire();
    expect(s.seen).toEqual([4]);
    expect(s.t.pending()).toEqual([EXPIRED_POLL_MS]);
  });

  it('stops when the same version comes back final: the late-payment window closed', () => {
    const s = setup();
    s.es().open();
    s.es().send(view(4, 'ARCHIVED'));
    s.es().send(view(4, 'ARCHIVED', true));
    expect(s.seen).toEqual([4, 4]);
    expect(s.es().closed).toBe(true);
    expect(s.transports.at(-1)).toBe('done');
  });

  it('opens nothing for a view that is already final', () => {
    FakeEventSource.instances = [];
    const t = fakeTimers();
    connectLive(
      { url: '/x', view: view(2, 'COMPLETED', true), onView: () => undefined },
      { EventSource: FakeEventSource as unknown as typeof EventSource, fetch: fetch, timers: t.timers },
    );
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(t.pending()).toEqual([]);
  });

  it('stops when asked', () => {
    const s = setup();
    s.es().open();
    s.stop();
    expect(s.es().closed).toBe(true);
    s.es().send(view(7));
    expect(s.seen).toEqual([]);
  });
});
