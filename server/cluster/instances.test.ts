/**
 * Three Payframe processes on one PostgreSQL database, as behind a load
 * balancer: a status change observed by the leader reaches a buyer's stream
 * on another instance; `kill -9` of the leader hands the chain's watcher to
 * another instance; nothing is lost or credited twice, and every webhook event
 * reaches the merchant (a repeat only with the same id). scripts/kill-loop.ts
 * runs this file many times in a row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../client/client';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { openPostgres } from '../db/open';
import type { Db } from '../db/schema';
import { createMerchant, type NewMerchant } from '../merchants/merchants';
import { SecretBox } from '../secrets/secret-box';
import { cloneDatabase } from '../testing/postgres';
import { sseReader } from '../testing/sse-reader';
import { waitFor, waitForOutput } from '../testing/wait-for';
import { startReceiver, type Receiver } from '../webhooks/test-receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MASTER_KEY = randomBytes(32).toString('hex');
const SANDBOX_ROLE = 'chain:sandbox';

interface Instance {
  url: string;
  id: string;
  child: ChildProcess;
}

/** `node server/main.ts` on `databaseUrl`, as an operator starts each instance. */
async function startInstance(databaseUrl: string, dataDir: string): Promise<Instance> {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://127.0.0.1:0',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PAYFRAME_MASTER_KEY: MASTER_KEY,
    SANDBOX: '1',
    SANDBOX_AUTOMINE_MS: '0',
    // A failed delivery is retried within a second rather than Calypso's 30 s.
    WEBHOOK_SCHEDULE_MS: Array.from({ length: 19 }, () => '500').join(','),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, url, id] = await waitForOutput(child, /^Payframe API\s+(\S+)[\s\S]*^Instance\s+(\S+)$/m, 'a Payframe instance');
  // Drained from now on: a full pipe would block the instance's logging, and with it the instance.
  child.stdout!.resume();
  child.stderr!.resume();
  return { url: url!, id: id!, child };
}

function stopInstance(instance: Instance): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

describe('three instances on one PostgreSQL database', () => {
  let database: { url: string; drop(): Promise<void> };
  let dir: string;
  let db: Db;
  let merchant: NewMerchant;
  let receiver: Receiver;
  let instances: Instance[] = [];

  beforeAll(async () => {
    database = await cloneDatabase(inject('postgresTemplate'), inject('postgresPrefix'));
    dir = mkdtempSync(join(tmpdir(), 'payframe-instances-'));
    db = await openPostgres(database.url, 2);
    merchant = await createMerchant(db, new SecretBox(Buffer.from(MASTER_KEY, 'hex')), { name: 'Shop', origins: [], now: Date.now() });
    receiver = await startReceiver();
    // Started together: they meet at the migrator's lock and the leases at once.
    instances = await Promise.all([0, 1, 2].map((i) => startInstance(database.url, join(dir, `instance-${i}`))));
  });

  afterAll(async () => {
    await Promise.all(instances.map(stopInstance));
    await receiver?.close();
    await db?.destroy();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const leaderOf = async (role: string) =>
    (await sql<{ holder: string }>`SELECT holder FROM leases WHERE role = ${role}`.execute(db)).rows[0]?.holder;
  const clientOf = (instance: Instance) => createClient({ baseUrl: instance.url, ...merchant });

  it('shows the leader’s observation on another instance’s stream, survives kill -9 of the leader, loses and doubles nothing', async () => {
    await clientOf(instances[0]!).createWebhookSubscription({ url: receiver.url, notificationEventTypes: [...WEBHOOK_EVENT_TYPES] });
    const leaderId = await waitFor(() => leaderOf(SANDBOX_ROLE), { what: 'a leader of the sandbox chain' });
    const leader = instances.find((i) => i.id === leaderId)!;
    const [creator, viewer] = instances.filter((i) => i !== leader) as [Instance, Instance];

    // Created on one instance, watched on a second, paid and mined through the leader's chain.
    const first = await clientOf(creator).createInvoice({ amount: '0.01', currency: 'ETH', description: 'Order 1' });
    const stream = await fetch(`${viewer.url}/api/checkout/${first.id}/events`);
    const frames = sseReader(stream);
    /** The states of the stream's next versions, up to `state` (a version may only count a confirmation). */
    const statesUntil = async (state: string) => {
      const seen: string[] = [];
      while (seen.at(-1) !== state) {
        const frame = await frames.next();
        if (!frame) throw new Error(`the stream ended after ${seen.join(', ')}`);
        if (frame.event === 'invoice') seen.push((JSON.parse(frame.data!) as { state: string }).state);
      }
      return [...new Set(seen)];
    };
    expect(await statesUntil('PENDING_PAYMENT')).toEqual(['PENDING_PAYMENT']);
    await post(`${leader.url}/api/sandbox/payments`, { address: first.invoiceAddress, currency: 'ETH', amount: '0.01' });
    expect(await statesUntil('MEM_POOL_FOUND')).toEqual(['MEM_POOL_FOUND']);
    await post(`${leader.url}/api/sandbox/mine`, { blocks: 1 });
    expect(await statesUntil('PAID')).toEqual(['PAID']);

    // Two more invoices paid into the leader's mempool, then the leader dies without a word.
    const paidBeforeKill = await Promise.all([creator, viewer].map((i, n) => clientOf(i).createInvoice({ amount: '0.02', currency: 'ETH', description: `Order ${n + 2}` })));
    for (const invoice of paidBeforeKill) await post(`${leader.url}/api/sandbox/payments`, { address: invoice.invoiceAddress, currency: 'ETH', amount: '0.02' });
    await waitFor(async () => (await db.selectFrom('payments').select('id').execute()).length === 3, { what: 'the three payments recorded' });
    const killedAt = performance.now();
    leader.child.kill('SIGKILL');

    const successorId = await waitFor(async () => {
      const holder = await leaderOf(SANDBOX_ROLE);
      return holder !== leaderId && holder;
    }, { what: 'another instance leading the sandbox chain' });
    // The bound for the hand-over: PostgreSQL frees the lock as the killed session's socket closes, and the
    // others try it every second.
    expect(performance.now() - killedAt).toBeLessThan(15_000);
    const successor = instances.find((i) => i.id === successorId)!;

    // The successor's chain mines what the dead leader had in its mempool, and takes a new payment.
    const last = await clientOf(successor).createInvoice({ amount: '0.03', currency: 'ETH', description: 'Order 4' });
    await post(`${successor.url}/api/sandbox/payments`, { address: last.invoiceAddress, currency: 'ETH', amount: '0.03' });
    await post(`${successor.url}/api/sandbox/mine`, { blocks: 3 });
    expect(await statesUntil('COMPLETED')).toEqual(['PAID', 'COMPLETED']);

    const invoices = [first, ...paidBeforeKill, last];
    const invoiceRows = () => db.selectFrom('invoices').select(['id', 'state', 'amount', 'amount_paid']).execute();
    await waitFor(async () => (await invoiceRows()).every((r) => r.state === 'COMPLETED'), { what: 'every invoice COMPLETED' });
    const rows = await invoiceRows();
    expect(rows).toHaveLength(invoices.length);
    // Credited once: each invoice has the one payment made to it, and exactly its amount.
    for (const row of rows) expect(row.amount_paid).toBe(row.amount);
    const payments = await db.selectFrom('payments').select(['invoice_id', 'tx_hash']).where('removed', '=', 0).execute();
    expect(payments).toHaveLength(invoices.length);
    expect(new Set(payments.map((p) => p.invoice_id)).size).toBe(invoices.length);

    // Every event delivered, whichever instance sent it (a delivery the dead leader held is taken after its lease).
    const deliveryRows = () => db.selectFrom('webhook_deliveries').select(['id', 'status']).execute();
    await waitFor(async () => (await deliveryRows()).every((d) => d.status === 'DELIVERED'), { what: 'every webhook delivered', timeoutMs: 90_000 });
    const deliveries = await deliveryRows();
    expect(deliveries.length).toBeGreaterThan(invoices.length);
    const received = receiver.received.filter((r) => r.status >= 200 && r.status < 300);
    const ids = new Set(received.map((r) => r.headers['webhook-id']));
    expect([...ids].sort()).toEqual(deliveries.map((d) => String(d.id)).sort());
    // A repeat (a delivery sent by the dead leader and again by its successor) is the same event, with the same id.
    for (const id of ids) expect(new Set(received.filter((r) => r.headers['webhook-id'] === id).map((r) => r.body)).size).toBe(1);
    await stream.body?.cancel();
  });
});
