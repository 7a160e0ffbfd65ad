/**
 * The references `npm run bench` measures Payframe against, in the same run:
 * servers that do the least possible work for each of Payframe's paths, on
 * the same stack (Hono on @hono/node-server, better-sqlite3 with Payframe's
 * pragmas). Started by bench/lib/server.ts as a child process, like Payframe.
 *
 *   GET  /get        a bare GET: a constant JSON body of a checkout view's size
 *   POST /write      the write floor: parse a JSON body, one INSERT in a transaction
 *   GET  /events     a bare streamSSE stream: one `ready` event, then whatever /broadcast sends
 *   POST /broadcast  writes one pre-serialized event to every open stream, then answers
 *
 * See docs/benchmarks.md.
 */
import { createAdaptorServer } from '@hono/node-server';
import Sqlite from 'better-sqlite3';
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'payframe-reference-'));
const sqlite = new Sqlite(join(dir, 'reference.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.exec('create table rows (id integer primary key, body text not null, created_at integer not null)');
const insert = sqlite.prepare('insert into rows (body, created_at) values (?, ?)');
const write = sqlite.transaction((body: string) => insert.run(body, Date.now()).lastInsertRowid);

// About the size of a checkout view, so the bytes on the wire match Payframe's GET.
const GET_BODY = JSON.stringify({ id: 'inv_reference', version: 1, state: 'PENDING_PAYMENT', padding: 'x'.repeat(850) });
const EVENT = 'event: invoice\nid: 2\ndata: {"state":"PAID"}\n\n';

const streams = new Set<SSEStreamingApi>();

const app = new Hono()
  .get('/get', (c) => c.body(GET_BODY, 200, { 'content-type': 'application/json' }))
  .post('/write', async (c) => {
    const body = await c.req.json<unknown>();
    return c.json({ id: Number(write(JSON.stringify(body))) });
  })
  .get('/events', (c) =>
    streamSSE(c, async (stream) => {
      streams.add(stream);
      await stream.writeSSE({ event: 'ready', data: '{}' });
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      streams.delete(stream);
    }),
  )
  .post('/broadcast', async (c) => {
    await Promise.all([...streams].map((s) => s.write(EVENT).catch(() => undefined)));
    return c.json({ streams: streams.size });
  });

const server = createAdaptorServer({ fetch: app.fetch, hostname: '127.0.0.1' }) as Server;
server.listen(0, '127.0.0.1', () => {
  console.log(`Reference server http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

function shutdown(): void {
  server.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
