/**
 * The public checkout API. No auth: the invoice id is an unguessable secret,
 * and the view holds only what the buyer may see. An unknown id is a plain
 * 404 that does not say whether it ever existed.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Bus } from '../events/bus';
import type { Logger } from '../logger';
import { ApiError, requestIdOf } from '../http/errors';
import { nodeEventStream, nodeResponseOf } from '../http/node-event-stream';
import { clientIp, type Limiters } from '../http/rate-limit';
import { CheckedViews } from '../checkout/checked-views';
import { followInvoice, type FrameSink } from '../checkout/event-stream';
import { CheckoutFeeds, type VersionsSince } from '../checkout/feeds';
import { readStoredView, rowLateWindowEnd, viewAsOf } from '../checkout/view';
import { compileOnce } from '../db/compile-once';
import { onPostgres } from '../db/dialect';

const HEARTBEAT_MS = 15_000;
const ID = /^inv_[\w-]{1,64}$/;
/** A Last-Event-ID we wrote: a version number, nothing else (parseInt would take "3abc"). */
const VERSION = /^\d{1,15}$/;

/** A stream refused for its cap may try again after this long (Retry-After). */
const STREAM_RETRY_SECONDS = 10;

const HEARTBEAT = new TextEncoder().encode(': heartbeat\n\n');

export function checkoutRoutes(deps: { db: Db; bus: Bus; clock: Clock; log: Logger; limiters: Limiters; heartbeatMs?: number }) {
  const { db, bus, clock, log, limiters } = deps;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const views = new CheckedViews();
  const reads = checkoutReads(db);
  const feeds = new CheckoutFeeds({ bus, since: reads.since, views });
  const polls = pollCache(bus, !onPostgres(db));
  const heartbeats = heartbeatsFor(heartbeatMs);

  const latest = async (id: string) => {
    const [row] = ID.test(id) ? await reads.latest(id) : [];
    if (!row) throw new ApiError('NOT_FOUND', 'no such invoice');
    return row;
  };

  return new Hono()
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      if (!ID.test(id)) throw new ApiError('NOT_FOUND', 'no such invoice');
      const ifNoneMatch = c.req.header('if-none-match');
      // An invoice polled before and unchanged since is answered from memory (SQLite: pollCache). Otherwise a poller
      // that holds a tag reads only what the tag is decided with (a 304 reads no view at all) where nothing is kept;
      // any other client, or any poll where the read is kept, gets the row and its current view in one read.
      const invoice = polls.get(id) ?? (await polls.fill(id, () => (ifNoneMatch === undefined || polls.enabled ? reads.withView(id) : reads.tag(id))));
      if (!invoice) throw new ApiError('NOT_FOUND', 'no such invoice');
      const end = rowLateWindowEnd(invoice);
      const closed = end !== null && clock.now() > end;
      // The same version turns final when its late-payment window closes: another tag, so a poller hears it.
      const etag = closed ? `"${invoice.version}-final"` : `"${invoice.version}"`;
      // Polling clients revalidate every time; the ETag makes that a 304.
      // The headers as one plain object: the Node adapter writes those as they are, without a web Headers in between.
      const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
      if (ifNoneMatch !== undefined && noneMatch(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
      const view = invoice.view !== undefined ? invoice.view : (await reads.view(id, invoice.version))[0]?.view;
      if (view == null) throw new Error(`invoice ${id} has no stored view of its version ${invoice.version}`);
      const body = closed ? JSON.stringify(viewAsOf(readStoredView(view), clock.now())) : views.read(id, invoice.version, view).text;
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': 'application/json' } });
    })
    .get('/:id/events', async (c) => {
      const id = c.req.param('id');
      const current = await latest(id);
      const lastEventId = c.req.header('last-event-id') ?? '';
      // Only a version this invoice has reached can be resumed from; anything else (another server's id, garbage) gets the snapshot.
      const resumeFrom = VERSION.test(lastEventId) && Number(lastEventId) <= current.version ? Number(lastEventId) : undefined;
      // Read before the stream starts: a corrupt view is then a 500, not a stream that ends at once.
      const currentFrame = feeds.frame(id, current);
      const first = resumeFrom === undefined ? [currentFrame] : await feeds.framesSince(id, resumeFrom);
      // Caps on open streams: one client must not hold thousands of connections, nor pile them on one invoice.
      const releaseIp = limiters.streamsPerIp.acquire(clientIp(c, limiters.limits.trustProxy));
      const releaseInvoice = releaseIp && limiters.streamsPerInvoice.acquire(id);
      if (!releaseIp || !releaseInvoice) {
        releaseIp?.();
        const why = releaseIp ? `this invoice has ${limiters.limits.streamsPerInvoice}` : `this address has ${limiters.limits.streamsPerIp}`;
        throw new ApiError('RATE_LIMITED', `${why} open event streams already; close one, or poll GET /api/checkout/${id}`, { 'Retry-After': String(STREAM_RETRY_SECONDS) });
      }
      const requestId = requestIdOf(c);
      const follow = async (sink: FrameSink) => {
        const stopHeartbeat = heartbeats.add(sink);
        try {
          // A client that resumes gets every version it missed (none when it is up to date); a new one the snapshot.
          await followInvoice(sink, { feeds, clock }, id, { has: resumeFrom ?? 0, hasFrame: resumeFrom === current.version ? currentFrame : undefined, first });
        } catch (err) {
          // Begun, the stream can no longer answer 500: it ends, and the client's reconnection gets the 500.
          log.error('checkout event stream failed', { requestId, invoiceId: id, error: err instanceof Error ? err.message : String(err) });
        } finally {
          stopHeartbeat();
          releaseInvoice();
          releaseIp();
        }
      };
      // X-Accel-Buffering tells nginx-style proxies not to buffer the stream.
      const outgoing = nodeResponseOf(c);
      if (outgoing) return nodeEventStream(outgoing, { 'x-accel-buffering': 'no', 'x-request-id': requestId }, follow);
      c.header('Cache-Control', 'no-cache');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, follow);
    });
}

/** A row of `tag`, or of `withView` (with `view`). */
type PollRow = Awaited<ReturnType<ReturnType<typeof checkoutReads>['tag']>>[number] & { view?: string | null };

/**
 * What polls read of the invoices being polled (row and view), kept in memory where this process makes every
 * change to an invoice (SQLite) and hears each on the bus, which drops the invoice's entry: a poll then reads
 * nothing. A read that a change overtook is not kept (it may predate the change). On PostgreSQL other
 * instances change invoices too, and one heard late (a LISTEN connection lost) would leave a stale row here:
 * no cache there. The oldest entries go past `capacity` (a view is about 1 KB).
 */
function pollCache(bus: Bus, enabled: boolean, capacity = 10_000) {
  const rows = new Map<string, PollRow>();
  let changes = 0;
  if (enabled)
    bus.subscribeAll(({ invoiceId }) => {
      changes++;
      rows.delete(invoiceId);
    });
  return {
    enabled,
    get: (id: string): PollRow | undefined => rows.get(id),
    async fill(id: string, read: () => Promise<PollRow[]>): Promise<PollRow | undefined> {
      const before = changes;
      const [row] = await read();
      if (enabled && row?.view != null && changes === before) {
        rows.set(id, row);
        if (rows.size > capacity) rows.delete(rows.keys().next().value!);
      }
      return row;
    },
  };
}

/** The reads of every poll and every stream, compiled once (compile-once.ts). */
function checkoutReads(db: Db) {
  const TAG = ['invoices.version', 'invoices.state', 'invoices.archived_by_merchant', 'invoices.resolution', 'invoices.expires_at'] as const;
  return {
    /** What the ETag is decided with (rowLateWindowEnd). */
    tag: compileOnce(db, (id: string) => db.selectFrom('invoices').select(TAG).where('id', '=', id)),
    /** That, and the view of the invoice's version; a null view is a version without its stored view. */
    withView: compileOnce(db, (id: string) =>
      db
        .selectFrom('invoices')
        .leftJoin('invoice_versions', (join) => join.onRef('invoice_versions.invoice_id', '=', 'invoices.id').onRef('invoice_versions.version', '=', 'invoices.version'))
        .select([...TAG, 'invoice_versions.view'])
        .where('invoices.id', '=', id),
    ),
    view: compileOnce(db, (id: string, version: number) => db.selectFrom('invoice_versions').select('view').where('invoice_id', '=', id).where('version', '=', version)),
    /** A stream's first read: the latest version. */
    latest: compileOnce(db, (id: string) => db.selectFrom('invoice_versions').select(['version', 'view']).where('invoice_id', '=', id).orderBy('version', 'desc').limit(1)),
    /** What a feed reads on each change: every version after the one it has. */
    since: compileOnce(db, (id: string, version: number) =>
      db.selectFrom('invoice_versions').select(['version', 'view']).where('invoice_id', '=', id).where('version', '>', version).orderBy('version'),
    ) satisfies VersionsSince,
  };
}

/**
 * If-None-Match by weak comparison (RFC 9110 §13.1.2): a gzipped answer's tag
 * goes out weak (W/"3", Hono's compress), and comes back so.
 */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header === etag || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** One timer for the heartbeats of every open stream, instead of one per stream. */
function heartbeatsFor(intervalMs: number) {
  const streams = new Set<FrameSink>();
  let timer: NodeJS.Timeout | undefined;
  return {
    add(stream: FrameSink): () => void {
      streams.add(stream);
      timer ??= setInterval(() => {
        for (const s of streams) void s.write(HEARTBEAT).catch(() => undefined);
      }, intervalMs);
      return () => {
        streams.delete(stream);
        if (streams.size === 0) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
