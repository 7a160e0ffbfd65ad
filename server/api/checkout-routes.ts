/**
 * The public checkout API. No auth: the invoice id is an unguessable secret,
 * and the view holds only what the buyer may see. An unknown id is a plain
 * 404 that does not say whether it ever existed.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { CheckoutView } from '../../contract/checkout';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Bus } from '../events/bus';
import type { Logger } from '../logger';
import { ApiError, requestIdOf } from '../http/errors';
import { clientIp, type Limiters } from '../http/rate-limit';
import { lateWindowEnd, readStoredView, viewAsOf } from '../checkout/view';

const HEARTBEAT_MS = 15_000;
const ID = /^inv_[\w-]{1,64}$/;
/** A Last-Event-ID we wrote: a version number, nothing else (parseInt would take "3abc"). */
const VERSION = /^\d{1,15}$/;

/** A stream refused for its cap may try again after this long (Retry-After). */
const STREAM_RETRY_SECONDS = 10;

export function checkoutRoutes(deps: { db: Db; bus: Bus; clock: Clock; log: Logger; limiters: Limiters; heartbeatMs?: number }) {
  const { db, bus, clock, log, limiters } = deps;
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
      const stored = readStoredView(row.view);
      const view = viewAsOf(stored, clock.now());
      // The same version turns final when its late-payment window closes: another tag, so a poller hears it.
      const etag = view === stored ? `"${row.version}"` : `"${row.version}-final"`;
      c.header('ETag', etag);
      // Polling clients revalidate every time; the ETag makes that a 304.
      c.header('Cache-Control', 'no-cache');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.body(JSON.stringify(view), 200, { 'content-type': 'application/json' });
    })
    .get('/:id/events', async (c) => {
      const id = c.req.param('id');
      const current = await latest(id);
      // Read before the stream starts: a corrupt view is then a 500, not a stream that ends at once.
      const snapshot = readStoredView(current.view);
      // Caps on open streams: one client must not hold thousands of connections, nor pile them on one invoice.
      const releaseIp = limiters.streamsPerIp.acquire(clientIp(c, limiters.limits.trustProxy));
      const releaseInvoice = releaseIp && limiters.streamsPerInvoice.acquire(id);
      if (!releaseIp || !releaseInvoice) {
        releaseIp?.();
        const why = releaseIp ? `this invoice has ${limiters.limits.streamsPerInvoice}` : `this address has ${limiters.limits.streamsPerIp}`;
        throw new ApiError('RATE_LIMITED', `${why} open event streams already; close one, or poll GET /api/checkout/${id}`, { 'Retry-After': String(STREAM_RETRY_SECONDS) });
      }
      const lastEventId = c.req.header('last-event-id') ?? '';
      // Only a version this invoice has reached can be resumed from; anything else (another server's id, garbage) gets the snapshot.
      const resumeFrom = VERSION.test(lastEventId) && Number(lastEventId) <= current.version ? Number(lastEventId) : undefined;
      c.header('Cache-Control', 'no-cache');
      // Tells nginx-style proxies not to buffer the stream.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        // What the client has: a resumed one has every version up to resumeFrom already.
        let sent = resumeFrom ?? 0;
        let last = snapshot;
        let done = false;
        let wake: () => void = () => undefined;
        const unsubscribe = bus.subscribe(id, () => wake());
        stream.onAbort(() => {
          done = true;
          wake();
        });
        const send = async (view: CheckoutView) => {
          await stream.writeSSE({ id: String(view.version), event: 'invoice', data: JSON.stringify(view) });
          sent = view.version;
          last = view;
        };
        const asOfNow = (row: { view: string }) => viewAsOf(readStoredView(row.view), clock.now());
        const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), heartbeatMs);
        try {
          // A client that resumes gets every version it missed (none when it is up to date); a new one the snapshot.
          if (resumeFrom === undefined) await send(viewAsOf(snapshot, clock.now()));
          else for (const row of await since(id, resumeFrom)) await send(asOfNow(row));
          while (!done && !last.final) {
            const woken = new Promise<void>((resolve) => (wake = resolve));
            const fresh = await since(id, sent);
            for (const row of fresh) await send(asOfNow(row));
            if (fresh.length > 0) continue;
            const closed = viewAsOf(last, clock.now());
            // The late-payment window closed with nothing paid: the same version again, now final, so the client stops too.
            if (closed !== last) {
              await send(closed);
              continue;
            }
            // No version marks that moment, so a timer wakes the stream for it.
            const end = lateWindowEnd(last);
            const timer = end === null ? undefined : setTimeout(() => wake(), end + 1 - clock.now());
            await woken;
            clearTimeout(timer);
          }
        } catch (err) {
          // Begun, the stream can no longer answer 500: it ends, and the client's reconnection gets the 500.
          log.error('checkout event stream failed', { requestId: requestIdOf(c), invoiceId: id, error: err instanceof Error ? err.message : String(err) });
        } finally {
          clearInterval(heartbeat);
          unsubscribe();
          releaseInvoice();
          releaseIp();
        }
      });
    });
}
