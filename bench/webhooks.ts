/**
 * Webhook delivery benchmark: how many deliveries per second one Payframe
 * process sustains to a local receiver.
 *
 * For each scenario it writes a backlog of pending deliveries into a fresh
 * data directory through the real engine (invoices created and paid in
 * process, so the outbox rows are the ones production writes), then starts
 * the real server (tsx server/main.ts, as `npm start` does) on that
 * directory. Its delivery worker drains the backlog to a node:http receiver
 * in this process, which checks every Sign header. The rate is counted from
 * the first delivery received to the last, so the server's start is not in it.
 *
 *   npm run bench:webhooks
 *   BENCH_WEBHOOKS=20000 BENCH_WEBHOOK_ORDERED=2000 npm run bench:webhooks
 *
 * See docs/benchmarks.md ("Webhook delivery").
 */
import { calypsoSign } from '../contract/signatures';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMerchant } from '../server/merchants/merchants';
import { createRuntime, type Runtime } from '../server/runtime';
import { SecretBox } from '../server/secrets/secret-box';
import { WEBHOOK_EVENT_TYPES } from '../contract/enums';
import { createSubscription } from '../server/webhooks/subscriptions';
import { startReceiver } from '../server/webhooks/test-receiver';
import { envInt } from './lib/stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEPENDENT = envInt('BENCH_WEBHOOKS', 10_000);
const ORDERED_INVOICES = envInt('BENCH_WEBHOOK_ORDERED', 1_000);
const DRAIN_TIMEOUT_MS = 300_000;
const quiet = { info() {}, warn() {}, error() {} };

interface Result {
  scenario: string;
  deliveries: number;
  invoices: number;
  seconds: number;
  deliveriesPerSecond: number;
  duplicates: number;
}

/** Builds the backlog with the real engine; returns the deliveries it queued. */
type Build = (rt: Runtime, account: string) => Promise<{ invoices: number; deliveries: number }>;

async function scenario(name: string, build: Build): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-bench-webhooks-'));
  let secret = '';
  const ids = new Set<string>();
  let bad: string | undefined;
  let first = 0;
  let last = 0;
  const receiver = await startReceiver({
    respond: (r) => {
      const now = performance.now();
      first ||= now;
      last = now;
      if (calypsoSign(secret, r.body) !== r.headers.sign) bad ??= `bad Sign on delivery ${r.headers['webhook-id']}`;
      ids.add(r.headers['webhook-id']!);
      return 204;
    },
  });
  const server = { stop: async () => {} };
  try {
    const rt = await createRuntime({ dbFile: join(dir, 'payframe.db'), secrets: new SecretBox(randomBytes(32)), clock: { now: () => Date.now() }, log: quiet, publicUrl: 'http://bench.test', sandbox: true });
    const merchant = await createMerchant(rt.db, rt.secrets, { name: 'Bench', origins: [], now: Date.now() });
    const sub = await createSubscription(rt.db, rt.secrets, { account: merchant.account, url: receiver.url, eventTypes: [...WEBHOOK_EVENT_TYPES], now: Date.now() });
    secret = sub.secret_key;
    const built = await build(rt, merchant.account);
    const queued = await rt.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (queued.n !== built.deliveries) throw new Error(`${name}: expected ${built.deliveries} queued deliveries, found ${queued.n}`);
    await rt.close();

    // PORT=0: nothing here calls the server; it only has to listen somewhere.
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SANDBOX_AUTOMINE_MS: '0' };
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    server.stop = async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      await exited;
    };

    await receiver.waitFor(() => ids.size >= built.deliveries, DRAIN_TIMEOUT_MS).catch((err: Error) => {
      throw new Error(`${name}: ${err.message}; server output:\n${output.slice(-2000)}`);
    });
    if (bad) throw new Error(`${name}: ${bad}`);
    const seconds = (last - first) / 1000;
    return {
      scenario: name,
      deliveries: built.deliveries,
      invoices: built.invoices,
      seconds: Math.round(seconds * 100) / 100,
      deliveriesPerSecond: Math.round(built.deliveries / seconds),
      duplicates: receiver.received.length - ids.size,
    };
  } finally {
    await server.stop();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const independent: Build = async (rt, account) => {
  const currency = rt.currencies.find('ETH')!;
  for (let i = 0; i < INDEPENDENT; i++) await rt.engine.createInvoice(account, { units: 10n ** 15n, currency, description: `bench ${i}` });
  return { invoices: INDEPENDENT, deliveries: INDEPENDENT };
};

/** Each invoice's whole life: five events that must go out one after the other. */
const ordered: Build = async (rt, account) => {
  const currency = rt.currencies.find('ETH')!;
  for (let i = 0; i < ORDERED_INVOICES; i++) {
    const row = await rt.engine.createInvoice(account, { units: 10n ** 15n, currency, description: `bench ${i}` });
    await rt.sandbox!.pay({ to: row.address, currency: 'ETH', amount: 10n ** 15n });
  }
  await rt.sandbox!.mine(3);
  return { invoices: ORDERED_INVOICES, deliveries: ORDERED_INVOICES * 5 };
};

const results = [
  await scenario('independent (one event per invoice)', independent),
  await scenario('ordered (5 events per invoice, in order)', ordered),
];
console.log(JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, results }, null, 2));
for (const r of results) console.log(`${r.scenario}: ${r.deliveries} deliveries in ${r.seconds} s = ${r.deliveriesPerSecond}/s (duplicates: ${r.duplicates})`);
