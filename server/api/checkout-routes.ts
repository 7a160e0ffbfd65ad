/**
 * The public checkout API. No auth: the invoice id is an unguessable secret,
 * and the view holds only what the buyer may see. An unknown id is a plain
 * 404 that does not say whether it ever existed.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Db } from '../db/schema';
import type { Bus } from '../events/bus';
import { ApiError } from '../http/errors';
import { isFinalView, type CheckoutView } from '../checkout/view';

export const HEARTBEAT_MS = 15_000;
const ID = /^inv_[\w-]{1,64}$/;

export function checkoutRoutes(deps: { db: Db; bus: Bus; heartbeatMs?: number }) {
  const { db, bus } = deps;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;

  const latest = async (id: string) => {
    const row = ID.test(id)
      ? await db.selectFrom('invoice_versions').select(['version', 'view']).where('invoice_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst()
      : undefined;
    if (!row) throw new ApiError('NOT_FOUND', 'no such invoice');
    return row;
  };
  const since = (id: string, version: number) =>
    db.selectFrom('invoice_versions').select(['version', 'view']).where('invoice_id', '=', id).where('version', '>', version).orderBy('version').execute();

  return new Hono()
    .get('/:id', async (c) => {
      const row = await latest(c.req.param('id'));
      const etag = `"${row.version}"`;
      c.header('ETag', etag);
      // Polling clients revalidate every time; the ETag makes that a 304.
      c.header('Cache-Control', 'no-cache');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.body(row.view, 200, { 'content-type': 'application/json' });
    })
    .get('/:id/events', async (c) => {
      const id = c.req.param('id');
      const current = await latest(id);
      const resumeFrom = Number.parseInt(c.req.header('last-event-id') ?? '', 10);
      c.header('Cache-Control', 'no-cache');
      // Tells nginx-style proxies not to buffer the stream.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        let sent = 0;
        let done = false;
        let wake: () => void = () => undefined;
        const unsubscribe = bus.subscribe(id, () => wake());
        stream.onAbort(() => {
          done = true;
          wake();
        });
        const send = async (rows: { version: number; view: string }[]) => {
          for (const row of rows) {
            if (row.version <= sent) continue;
            await stream.writeSSE({ id: String(row.version), event: 'invoice', data: row.view });
            sent = row.version;
            if (isFinalView(JSON.parse(row.view) as CheckoutView)) done = true;
          }
        };
        const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), heartbeatMs);
        try {
          // A client that resumes gets every version it missed; a new one the snapshot.
          await send(Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? await since(id, resumeFrom) : [current]);
          while (!done) {
            const woken = new Promise<void>((resolve) => (wake = resolve));
            const fresh = await since(id, sent);
            if (fresh.length > 0) await send(fresh);
            else await woken;
          }
        } finally {
          clearInterval(heartbeat);
          unsubscribe();
        }
      });
    });
}
