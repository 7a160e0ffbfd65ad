/**
 * Durability end to end: the real server (tsx server/main.ts) in a child
 * process, killed with SIGKILL while deliveries are pending or in flight,
 * then started again on the same data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/client';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { openSqlite } from '../db/open';
import { createMerchant } from '../merchants/merchants';
import { loadMasterKeys } from '../secrets/master-key';
import { copyMigratedDb } from '../testing/template-db';
import { GENEROUS_MS, waitFor, waitForOutput } from '../testing/wait-for';
import { startReceiver, type ReceivedRequest, type Receiver } from './test-receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Creds {
  account: string;
  key: string;
  secret: string;
}


function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // One node process (tsx as a loader, not tsx's CLI that starts another), in its own process group so that a kill reaches all of it.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

describe('webhook delivery across a SIGKILL', () => {
  let dir: string;
  let base: string;
  let env: NodeJS.ProcessEnv;
  let receiver: Receiver;
  let creds: Creds;
  const servers: ChildProcess[] = [];

  // On PORT=0: each start binds a free port and prints its URL once it answers.
  const startServer = async () => {
    const server = run(['server/main.ts'], env);
    servers.push(server.child);
    [, base] = (await waitForOutput(server.child, /^Payframe API\s+(\S+)/m, 'the server')) as [string, string];
    return server;
  };

  // One client per server start (each binds a new port): its timestamps only go up, so two calls are never the same bytes (a replay).
  const clients = new Map<string, ReturnType<typeof createClient>>();
  const call = async (path: string, payload: unknown) => {
    let client = clients.get(base);
    if (!client) clients.set(base, (client = createClient({ baseUrl: base, ...creds })));
    const request = client.sign({ method: 'POST', path: path as `/${string}` }, payload);
    const res = await fetch(request.url, { method: request.method, body: request.body, headers: request.headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const sandbox = async (path: string, payload: unknown) => {
    const res = await fetch(`${base}/api/sandbox${path}`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-restart-'));
    // One-second retries (WEBHOOK_SCHEDULE_MS) instead of Calypso's 30 s and up, so the test takes seconds.
    env = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://127.0.0.1:0',
      DATA_DIR: dir,
      SANDBOX_AUTOMINE_MS: '0',
      WEBHOOK_SCHEDULE_MS: Array(19).fill(1000).join(','),
    };
    receiver = await startReceiver();
    const file = join(dir, 'payframe.db');
    await copyMigratedDb(file);
    const db = await openSqlite(file);
    creds = await createMerchant(db, loadMasterKeys({ dataDir: dir, masterKey: undefined, previousMasterKey: undefined }).secrets, { name: 'Restart shop', origins: [], now: Date.now() });
    await db.destroy();
  });

  afterAll(async () => {
    for (const s of servers) killGroup(s, 'SIGKILL');
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Its timeout (below) covers two server starts, STARTUP_MS each at most, and the retries between them.
  it('delivers every event after a restart, in order per invoice, duplicates only with the same id', async () => {
    let first = await startServer();
    const sub = (await call('/subscription/webhook/create', { url: receiver.url, notificationEventTypes: WEBHOOK_EVENT_TYPES })) as { secretKey: string; publicKey: string };

    // Phase 1: the receiver is down (500), except that it never answers the invoice described
    // "in flight", so that this delivery is in flight when the server is killed.
    const described = (r: ReceivedRequest) => {
      const data = JSON.parse(r.body).data as { description?: string; message?: string };
      return data.description ?? data.message;
    };
    receiver.respond = (r) => (described(r) === 'in flight' ? 'hang' : 500);
    const create = async (amount: number, description = 'restart test') =>
      (await call('/invoice/single/create', { amount, currency: 'ETH', description })) as { id: string; invoiceAddress: string };
    const full = await create(0.01);
    const under = await create(1);
    const archived = await create(0.01);
    await sandbox('/payments', { address: full.invoiceAddress, currency: 'ETH', amount: '0.01' });
    await sandbox('/payments', { address: under.invoiceAddress, currency: 'ETH', amount: '0.6' });
    for (let i = 0; i < 3; i++) await sandbox('/mine', { blocks: 1 });
    await call('/invoice/archive', { id: archived.id });

    const invoiceOf = (r: ReceivedRequest) => JSON.parse(r.body).data.parentExternalId as string;
    // Each invoice's first event has been tried (and failed) at least twice.
    await receiver.waitFor((all) => [full.id, under.id, archived.id].every((id) => all.filter((r) => invoiceOf(r) === id).length >= 2), GENEROUS_MS);
    // Then one more delivery goes out and is left hanging; the kill comes well within its 10 s timeout.
    const inFlight = await create(0.01, 'in flight');
    await receiver.waitFor((all) => all.some((r) => invoiceOf(r) === inFlight.id && r.status === 0));
    expect(receiver.received.filter((r) => r.status === 200)).toEqual([]);

    const expected: Record<string, string[]> = {
      [full.id]: ['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND', 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PAID', 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED'],
      [under.id]: ['INVOICE_CREATE_INVOICE', 'INVOICE_MEMPOOL_FOUND', 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE', 'INVOICE_PENDING_INTERVENTION'],
      [archived.id]: ['INVOICE_CREATE_INVOICE', 'INVOICE_ARCHIVED'],
      [inFlight.id]: ['INVOICE_CREATE_INVOICE'],
    };

    killGroup(first.child, 'SIGKILL');
    await first.exited;
    const beforeRestart = receiver.received.length;

    // Phase 2: the receiver is up; the server starts again on the same data directory.
    receiver.respond = () => 200;
    first = await startServer();
    const total = Object.values(expected).flat().length;
    const okKeys = () => new Set(receiver.received.filter((r) => r.status === 200).map((r) => `${invoiceOf(r)} ${JSON.parse(r.body).eventType}`));
    await receiver.waitFor(() => okKeys().size === total, GENEROUS_MS);
    // The receiver answered 200 to each; the server records DELIVERED just after. The log is checked below.
    const deliveryLog = async () => (await call('/subscription/webhook/deliveries', { limit: 100 })) as { items: { id: number; status: string; invoiceId: string; attemptCount: number }[] };
    await waitFor(async () => (await deliveryLog()).items.every((d) => d.status === 'DELIVERED'), { what: 'every delivery recorded as DELIVERED' });

    const ok = receiver.received.filter((r) => r.status === 200);
    expect(receiver.received.length).toBeGreaterThan(beforeRestart);
    for (const [id, events] of Object.entries(expected)) {
      const seen = ok.filter((r) => invoiceOf(r) === id).map((r) => JSON.parse(r.body).eventType as string);
      // In order; a duplicate (at least once) may only repeat an event already seen.
      expect([...new Set(seen)]).toEqual(events);
    }
    // Every request for one event — failed, hung, retried, after the restart — carries one id and one body.
    const byEvent = new Map<string, ReceivedRequest[]>();
    for (const r of receiver.received) {
      const key = `${invoiceOf(r)} ${JSON.parse(r.body).eventType}`;
      byEvent.set(key, [...(byEvent.get(key) ?? []), r]);
    }
    expect(byEvent.size).toBe(total);
    for (const requests of byEvent.values()) {
      expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    }
    // The request left hanging at the kill is sent again after the restart: the same event, id and body.
    const [hung, ...again] = receiver.received.filter((r) => invoiceOf(r) === inFlight.id);
    expect(hung!.status).toBe(0);
    const redelivered = again.find((r) => r.status === 200)!;
    expect(redelivered.headers['webhook-id']).toBe(hung!.headers['webhook-id']);
    expect(JSON.parse(redelivered.body).id).toBe(JSON.parse(hung!.body).id);

    for (const r of ok) {
      expect(r.headers.sign).toBe(createHmac('sha512', sub.secretKey).update(r.body).digest('hex'));
      expect(new Webhook(sub.secretKey).verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
    }
    // No loss: every event has one delivery, delivered; the attempt in flight at the kill was never recorded.
    const log = await deliveryLog();
    expect(log.items.map((d) => d.status)).toEqual(Array(total).fill('DELIVERED'));
    expect(log.items.find((d) => d.invoiceId === inFlight.id)).toMatchObject({ id: JSON.parse(hung!.body).id, attemptCount: 1 });
  }, 300_000);
});
