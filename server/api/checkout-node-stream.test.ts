import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from '../testing/harness';
import { perTest } from '../testing/lifecycle';
import { sseReader } from '../testing/sse-reader';
import { waitFor } from '../testing/wait-for';

/** The harness's app on a @hono/node-server of its own, on a free port, for each test. */
function nodeServerPerTest(h: ReturnType<typeof harnessPerTest>) {
  return perTest(
    'node server',
    async () => {
      const server = createAdaptorServer({ fetch: h.app.fetch }) as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
    async ({ server }) => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  );
}

/** The poll as @hono/node-server serves it: headers written straight to Node's response (http/request-id.ts, checkout-routes.ts). */
describe('GET /api/checkout/:id on a Node server', () => {
  const h = harnessPerTest();
  const node = nodeServerPerTest(h);

  it('answers the view with its ETag and a request id, then a 304 to that tag with the same headers', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const res = await fetch(`${node.base}/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ id: inv.id, state: 'PENDING_PAYMENT', version: 1 });
    const etag = res.headers.get('etag');
    expect(etag).toBe('"1"');
    const again = await fetch(`${node.base}/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'identity', 'if-none-match': etag!, 'x-request-id': 'lb-7f3a' } });
    expect({ status: again.status, etag: again.headers.get('etag'), requestId: again.headers.get('x-request-id') }).toEqual({ status: 304, etag: '"1"', requestId: 'lb-7f3a' });
    await h.pay(inv.invoiceAddress, '1');
    const changed = await fetch(`${node.base}/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'identity', 'if-none-match': etag! } });
    expect({ status: changed.status, etag: changed.headers.get('etag') }).toEqual({ status: 200, etag: '"2"' });
    expect(await changed.json()).toMatchObject({ state: 'MEM_POOL_FOUND', version: 2 });
  });

  it('gzips the view for a client that accepts it, under a weak ETag that revalidates, and gives an error its request id as traceId', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const res = await fetch(`${node.base}/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'gzip' } });
    expect({ status: res.status, encoding: res.headers.get('content-encoding'), etag: res.headers.get('etag') }).toEqual({ status: 200, encoding: 'gzip', etag: 'W/"1"' });
    expect(await res.json()).toMatchObject({ id: inv.id });
    const again = await fetch(`${node.base}/api/checkout/${inv.id}`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': 'W/"1"' } });
    expect(again.status).toBe(304);
    const missing = await fetch(`${node.base}/api/checkout/inv_nothere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ traceId: missing.headers.get('x-request-id'), errorCode: 'NOT_FOUND' });
  });
});

/** The event stream as @hono/node-server serves it: written straight to Node's response (http/node-event-stream.ts). */
describe('GET /api/checkout/:id/events on a Node server', () => {
  const h = harnessPerTest({ heartbeatMs: 40, limits: { streamsPerInvoice: 1 } });
  const node = nodeServerPerTest(h);

  it('sends the snapshot, every change and heartbeats, and ends after COMPLETED', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const res = await fetch(`${node.base}/api/checkout/${inv.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('x-request-id')).toMatch(/\S/);
    const sse = sseReader(res);
    expect(await sse.nextInvoice()).toMatchObject({ state: 'PENDING_PAYMENT', version: 1 });
    let heartbeat = await sse.next();
    while (heartbeat && heartbeat.comment === undefined) heartbeat = await sse.next();
    expect(heartbeat?.comment).toBe('heartbeat');
    await h.pay(inv.invoiceAddress, '1');
    expect(await sse.nextInvoice()).toMatchObject({ state: 'MEM_POOL_FOUND', version: 2 });
    await h.mine(3);
    expect(await sse.nextInvoice()).toMatchObject({ state: 'PAID', version: 3 });
    expect(await sse.nextInvoice()).toMatchObject({ state: 'PAID', version: 4 });
    expect(await sse.nextInvoice()).toMatchObject({ state: 'COMPLETED', version: 5 });
    expect(await sse.nextInvoice()).toBeUndefined();
  });

  it("gives a stream's place back when the buyer goes away", async () => {
    const inv = await h.createInvoice();
    const first = sseReader(await fetch(`${node.base}/api/checkout/${inv.id}/events`));
    await first.nextInvoice();
    expect((await fetch(`${node.base}/api/checkout/${inv.id}/events`)).status).toBe(429);
    await first.cancel();
    const second: Response = await waitFor<Response | undefined>(
      async () => {
        const res = await fetch(`${node.base}/api/checkout/${inv.id}/events`);
        if (res.status === 200) return res;
        await res.body?.cancel();
        return undefined;
      },
      { what: 'the closed stream to free its place' },
    ).then((res) => res!);
    const again = sseReader(second);
    expect(await again.nextInvoice()).toMatchObject({ version: 1 });
    await again.cancel();
  });
});
