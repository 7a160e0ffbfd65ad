/**
 * Durability end to end: the real server (tsx server/main.ts) in a child
 * process, killed with SIGKILL while deliveries are pending or in flight,
 * then started again on the same data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../testing/free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/client';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { startReceiver, type ReceivedRequest, type Receiver } from './test-receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Creds {
  account: string;
  key: string;
  secret: string;
}


function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Its own process group, so a kill reaches tsx and the node process it starts.
  const child = spawn(TSX, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
  let port: number;
  let base: string;
  let env: NodeJS.ProcessEnv;
  let receiver: Receiver;
  let creds: Creds;
  const servers: ChildProcess[] = [];

  const startServer = async () => {
    const server = run(['server/main.ts'], env);
    servers.push(server.child);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return server;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not start:\n${server.output()}`);
  };

  let client: ReturnType<typeof createClient> | undefined;
  const call = async (path: string, payload: unknown) => {
    // One client: its timestamps only go up, so two calls are never the same bytes (a replay).
    const request = (client ??= createClient({ baseUrl: base, ...creds })).sign({ method: 'POST', path: path as `/${string}` }, payload);
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
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // One-second retries (WEBHOOK_SCHEDULE_MS) instead of Calypso's 30 s and up, so the test takes seconds.
    env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, SANDBOX_AUTOMINE_MS: '0', WEBHOOK_SCHEDULE_MS: Array(19).fill(1000).join(',') };
    receiver = await startReceiver();
    const cli = run(['server/cli.ts', 'merchant', 'create', '--name', 'Restart shop', '--json'], env);
    if ((await cli.exited) !== 0) throw new Error(cli.output());
    creds = JSON.parse(cli.output().trim().split('\n').at(-1)!) as Creds;
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) killGroup(s, 'SIGKILL');
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
    await receiver.waitFor((all) => [full.id, under.id, archived.id].every((id) => all.filter((r) => invoiceOf(r) === id).length >= 2), 20_000);
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
    await receiver.waitFor(() => okKeys().size === total, 20_000);
    await new Promise((r) => setTimeout(r, 500));

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
    const log = (await call('/subscription/webhook/deliveries', { limit: 100 })) as { items: { id: number; status: string; invoiceId: string; attemptCount: number }[] };
    expect(log.items.map((d) => d.status)).toEqual(Array(total).fill('DELIVERED'));
    expect(log.items.find((d) => d.invoiceId === inFlight.id)).toMatchObject({ id: JSON.parse(hung!.body).id, attemptCount: 1 });
  }, 90_000);
});
