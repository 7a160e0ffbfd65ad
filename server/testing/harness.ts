/**
 * Test harness: a real Payframe runtime on a real SQLite file in a temp
 * directory (a copy of one migrated template), with a fake clock and the sandbox chain. Requests go through
 * `app.request()`, so no port is opened.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMerchant, type NewMerchant } from '../merchants/merchants';
import type { ChainConfig } from '../chains/chains-file';
import { createRuntime, type Runtime } from '../runtime';
import { copyMigratedDb } from './template-db';

export const START = Date.parse('2026-11-24T12:00:00.000Z');

export class FakeClock {
  constructor(public time = START) {}
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

export const silentLog = { info() {}, warn() {}, error() {} };

export interface Harness extends Runtime {
  clock: FakeClock;
  merchant: NewMerchant;
  dir: string;
  newMerchant(): Promise<NewMerchant>;
  /** Signs and posts a merchant API call; `pretty` formats the JSON as many clients do. */
  call(path: string, payload: unknown, opts?: { merchant?: NewMerchant; pretty?: boolean }): Promise<Response>;
  createInvoice(payload?: Record<string, unknown>): Promise<InvoiceResponse>;
  pay(address: string, amount: string, opts?: { currency?: string; from?: string }): Promise<string>;
  mine(blocks?: number): Promise<void>;
  state(id: string): Promise<{ state: string; interventionType: string | null; amountPaid: string }>;
  destroy(): Promise<void>;
}

export interface InvoiceResponse {
  id: string;
  invoiceAddress: string;
  state: string;
  amount: number;
  idempotencyKey: string;
  [key: string]: unknown;
}

export function signedBody(merchant: NewMerchant, payload: unknown, opts: { pretty?: boolean; timestamp?: number } = {}) {
  const body = JSON.stringify({ timestamp: opts.timestamp ?? Date.now(), account: merchant.account, payload }, null, opts.pretty ? 2 : undefined);
  return { body, sign: createHmac('sha512', merchant.secret).update(body).digest('hex') };
}

export interface HarnessOptions {
  sandboxFinalConfirmations?: number;
  heartbeatMs?: number;
  sandbox?: boolean;
  evmChains?: ChainConfig[];
  clock?: FakeClock;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-test-'));
  const clock = opts.clock ?? new FakeClock();
  const dbFile = join(dir, 'payframe.db');
  await copyMigratedDb(dbFile);
  const runtime = await createRuntime({
    dbFile,
    clock,
    log: silentLog,
    publicUrl: 'http://payframe.test',
    sandbox: opts.sandbox ?? true,
    evmChains: opts.evmChains,
    sandboxFinalConfirmations: opts.sandboxFinalConfirmations ?? 3,
    heartbeatMs: opts.heartbeatMs,
  });
  const newMerchant = () => createMerchant(runtime.db, { name: 'Test shop', origins: ['http://shop.test'], now: clock.now() });
  const merchant = await newMerchant();

  const call: Harness['call'] = async (path, payload, o = {}) => {
    const { body, sign } = signedBody(o.merchant ?? merchant, payload, { pretty: o.pretty, timestamp: clock.now() });
    return runtime.app.request(path, { method: 'POST', headers: { Key: (o.merchant ?? merchant).key, Sign: sign, 'content-type': 'application/json' }, body });
  };

  const h: Harness = {
    ...runtime,
    clock,
    merchant,
    dir,
    newMerchant,
    call,
    async createInvoice(payload = {}) {
      const res = await call('/api/v1/invoice/single/create', { amount: 0.01, currency: 'ETH', description: 'Order 1', ...payload });
      if (res.status !== 200) throw new Error(`create failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as InvoiceResponse;
    },
    async pay(address, amount, o = {}) {
      const res = await runtime.app.request('/api/sandbox/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ address, amount, currency: o.currency ?? 'ETH', from: o.from }),
      });
      if (res.status !== 200) throw new Error(`pay failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { txHash: string }).txHash;
    },
    async mine(blocks = 1) {
      await runtime.sandbox!.mine(blocks);
    },
    async state(id) {
      const row = await runtime.db.selectFrom('invoices').select(['state', 'intervention_type', 'amount_paid', 'currency']).where('id', '=', id).executeTakeFirstOrThrow();
      const view = (await (await runtime.app.request(`/api/checkout/${id}`)).json()) as { amountPaid: string };
      return { state: row.state, interventionType: row.intervention_type, amountPaid: view.amountPaid };
    },
    async destroy() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
