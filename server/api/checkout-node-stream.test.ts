import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from '../testing/harness';
import { perTest } from '../testing/lifecycle';
import { sseReader } from '../testing/sse-reader';
import { waitFor } from '../testing/wait-for';

/** The event stream as @hono/node-server serves it: written straight to Node's response (http/node-event-stream.ts). */
describe('GET /api/checkout/:id/events on a Node server', () => {
  const h = harnessPerTest({ heartbeatMs: 40, limits: { streamsPerInvoice: 1 } });
  const node = perTest(
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
