import Sqlite from 'better-sqlite3';
import { Hono } from 'hono';
import { Kysely } from 'kysely';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/schema';
import { PayframeSqliteDialect } from '../db/sqlite-dialect';
import { createLimiters, DEFAULT_LIMITS } from '../http/rate-limit';
import { harnessPerTest, silentLog } from '../testing/harness';
import { sseReader } from '../testing/sse-reader';
import { checkoutRoutes } from './checkout-routes';

/**
 * A connection of its own to the harness's database file, counting the statements
 * that read stored views (invoice_versions) SQLite runs on it: counted where they
 * run, so a query compiled once counts as surely as one built per call.
 */
function countingConnection(file: string) {
  const counter = { reads: 0 };
  const database = new Sqlite(file, { verbose: (statement) => void (String(statement).includes('"invoice_versions"') && counter.reads++) });
  database.pragma('busy_timeout = 5000');
  return { counter, db: new Kysely<Database>({ dialect: new PayframeSqliteDialect({ database }) }) };
}

describe('checkout reads and fan-out', () => {
  const h = harnessPerTest();
  let app: Hono;
  let counter: { reads: number };
  let db: Kysely<Database>;
  beforeEach(() => {
    const counting = countingConnection(join(h.dir, 'payframe.db'));
    counter = counting.counter;
    db = counting.db;
    const limiters = createLimiters({ ...DEFAULT_LIMITS, streamsPerIp: 1000, streamsPerInvoice: 1000 }, h.clock);
    app = new Hono().route('/api/checkout', checkoutRoutes({ db, bus: h.bus, clock: h.clock, log: silentLog, limiters }));
  });
  afterEach(() => db.destroy());

  it('answers a revalidation with 304 without reading the stored view, and sends the stored view as stored', async () => {
    const inv = await h.createInvoice();
    const fresh = await app.request(`/api/checkout/${inv.id}`);
    const stored = await h.db.selectFrom('invoice_versions').select('view').where('invoice_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(await fresh.text()).toBe(stored.view);
    counter.reads = 0;
    const revalidated = await app.request(`/api/checkout/${inv.id}`, { headers: { 'if-none-match': fresh.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
    expect(counter.reads).toBe(0);
  });

  it('sends a change this process made to every stream of the invoice without reading it back, and reads one heard from elsewhere once for all', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const streams = await Promise.all(Array.from({ length: 25 }, async () => sseReader(await app.request(`/api/checkout/${inv.id}/events`))));
    for (const sse of await Promise.all(streams.map((s) => s.nextInvoice()))) expect(sse).toMatchObject({ version: 1 });
    counter.reads = 0;
    await h.pay(inv.invoiceAddress, '1');
    for (const view of await Promise.all(streams.map((s) => s.nextInvoice()))) expect(view).toMatchObject({ version: 2, state: 'MEM_POOL_FOUND' });
    // The change came with its view (apply.ts publishes what it wrote).
    expect(counter.reads).toBe(0);
    // Another instance's change (LISTEN/NOTIFY) names only the version: the feed reads it, once for the 25 streams.
    await h.db.updateTable('invoices').set({ version: 3 }).where('id', '=', inv.id).execute();
    const stored = await h.db.selectFrom('invoice_versions').select('view').where('invoice_id', '=', inv.id).where('version', '=', 2).executeTakeFirstOrThrow();
    await h.db.insertInto('invoice_versions').values({ invoice_id: inv.id, version: 3, state: 'MEM_POOL_FOUND', view: stored.view.replace('"version":2', '"version":3'), created_at: h.clock.now() }).execute();
    h.bus.publish({ invoiceId: inv.id, version: 3, state: 'MEM_POOL_FOUND' });
    for (const view of await Promise.all(streams.map((s) => s.nextInvoice()))) expect(view).toMatchObject({ version: 3 });
    expect(counter.reads).toBe(1);
    await Promise.all(streams.map((s) => s.cancel()));
  });

  it('gives every stream every version once and in order, however joins and changes interleave', async () => {
    const invoices = await Promise.all([h.createInvoice({ amount: 1 }), h.createInvoice({ amount: 1 })]);
    const open = async (id: string) => sseReader(await app.request(`/api/checkout/${id}/events`));
    const following: Promise<number[]>[] = [];
    const follow = (id: string) =>
      following.push(
        open(id).then(async (sse) => {
          const versions: number[] = [];
          for (let view = await sse.nextInvoice(); view; view = await sse.nextInvoice()) versions.push(view.version);
          return versions;
        }),
      );
    // Streams open before, between and during the changes; each reads until COMPLETED ends it.
    for (const inv of invoices) follow(inv.id);
    const paying = Promise.all(invoices.map((inv) => h.pay(inv.invoiceAddress, '1')));
    for (const inv of invoices) follow(inv.id);
    await paying;
    const mining = h.mine();
    for (const inv of invoices) follow(inv.id);
    await mining;
    await h.mine();
    for (const inv of invoices) follow(inv.id);
    await h.mine();
    for (const versions of await Promise.all(following)) {
      expect(versions.at(-1)).toBe(5);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions[0]! + i));
    }
  });
});
