/**
 * Test harness: a real Payframe runtime on a real SQLite file in a temp
 * directory (a copy of one migrated template), or with PAYFRAME_TEST_DB=postgres
 * on a fresh PostgreSQL database (testing/template-db.ts), with a fake clock and the sandbox chain. Requests go through
 * `app.request()`, so no port is opened.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SignedRequest } from '../../client/client';
import type { Clock } from '../clock';
import { createMerchant, type NewMerchant } from '../merchants/merchants';
import type { AnyChainConfig } from '../chains/chains-file';
import { DEFAULT_LIMITS, type Limits } from '../http/rate-limit';
import { silentLogger, type Logger } from '../logger';
import type { RatesConfig } from '../rates/rates';
import { createRuntime, type Runtime } from '../runtime';
import { SecretBox } from '../secrets/secret-box';
import { perFile, perTest } from './lifecycle';
import { expectMatchesOpenApi } from './openapi-check';
import { freshTestDatabase } from './template-db';

export const START = Date.parse('2026-11-24T12:00:00.000Z');

export class FakeClock {
  constructor(public time = START) {}
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

export const silentLog = silentLogger;

/** A box under a random master key, as a test's runtime is given; keep one per database a test reopens. */
export const testSecrets = (): SecretBox => new SecretBox(randomBytes(32));

/** The typed merchant client, talking to `app` in-process (no port) on `clock`'s time. */
export function clientFor(app: { request(url: string, init: RequestInit): Response | Promise<Response> }, merchant: NewMerchant, clock: Clock) {
  return createClient({ baseUrl: 'http://payframe.test', ...merchant, fetch: async (url, init) => app.request(url, init), now: clock.now });
}

export interface Harness extends Runtime {
  clock: FakeClock;
  merchant: NewMerchant;
  dir: string;
  newMerchant(): Promise<NewMerchant>;
  /** The typed client of the harness's merchant. */
  client: ReturnType<typeof clientFor>;
  /** Signs a merchant API call through the client (each with a later timestamp), without sending it. */
  sign(path: string, payload: unknown, opts?: { merchant?: NewMerchant; pretty?: boolean; method?: 'POST' | 'DELETE' }): SignedRequest;
  /** Sends a signed request as signed. Merchant API answers are checked against /api/openapi.json. */
  send(request: SignedRequest, headers?: Record<string, string | null>): Promise<Response>;
  /** sign() then send(); `pretty` formats the JSON as many clients do. */
  call(path: string, payload: unknown, opts?: { merchant?: NewMerchant; pretty?: boolean; method?: 'POST' | 'DELETE' }): Promise<Response>;
  createInvoice(payload?: Record<string, unknown>): Promise<InvoiceResponse>;
  pay(address: string, amount: string, opts?: { currency?: string; from?: string }): Promise<string>;
  /** Moves the fixed table's rates (POST /api/sandbox/rates). */
  setRates(rates: Record<string, string>): Promise<void>;
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

export interface HarnessOptions {
  sandboxFinalConfirmations?: number;
  heartbeatMs?: number;
  sandbox?: boolean;
  chainConfigs?: AnyChainConfig[];
  clock?: FakeClock;
  /** Abuse limits replacing the defaults (DEFAULT_LIMITS) in part. */
  limits?: Partial<Limits>;
  /** Where the runtime logs; silent by default. */
  log?: Logger;
  /** Rate sources other than the fixed table's defaults. */
  rates?: RatesConfig;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-test-'));
  const clock = opts.clock ?? new FakeClock();
  const database = await freshTestDatabase(join(dir, 'payframe.db'));
  const runtime = await createRuntime({
    dbFile: database.dbFile,
    databaseUrl: database.databaseUrl,
    secrets: testSecrets(),
    clock,
    log: opts.log ?? silentLog,
    publicUrl: 'http://payframe.test',
    sandbox: opts.sandbox ?? true,
    chainConfigs: opts.chainConfigs,
    sandboxFinalConfirmations: opts.sandboxFinalConfirmations ?? 3,
    heartbeatMs: opts.heartbeatMs,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    rates: opts.rates,
  });
  const newMerchant = () => createMerchant(runtime.db, runtime.secrets, { name: 'Test shop', origins: ['http://shop.test'], now: clock.now() });
  const merchant = await newMerchant();
  const clients = new Map<string, ReturnType<typeof clientFor>>();
  const clientOf = (m: NewMerchant) => {
    let c = clients.get(m.key);
    if (!c) clients.set(m.key, (c = clientFor(runtime.app, m, clock)));
    return c;
  };

  const sign: Harness['sign'] = (path, payload, o = {}) =>
    clientOf(o.merchant ?? merchant).sign({ method: o.method ?? 'POST', path: path.replace(/^\/api\/v1/, '') as `/${string}` }, payload, { pretty: o.pretty });
  const send: Harness['send'] = async (request, headers = {}) => {
    const merged: Record<string, string> = { ...request.headers };
    for (const [name, value] of Object.entries(headers)) {
      for (const existing of Object.keys(merged)) if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
      if (value !== null) merged[name] = value;
    }
    const res = await runtime.app.request(request.url, { method: request.method, headers: merged, body: request.body });
    await expectMatchesOpenApi(request.method, new URL(request.url).pathname, res.clone());
    return res;
  };
  const call: Harness['call'] = (path, payload, o = {}) => send(sign(path, payload, o));

  const h: Harness = {
    ...runtime,
    clock,
    merchant,
    dir,
    newMerchant,
    client: clientOf(merchant),
    sign,
    send,
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
    async setRates(rates) {
      const res = await runtime.app.request('/api/sandbox/rates', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rates }) });
      if (res.status !== 200) throw new Error(`setting rates failed: ${res.status} ${await res.text()}`);
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
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

type OptionsOrMaker = HarnessOptions | (() => HarnessOptions | Promise<HarnessOptions>);
const made = async (options: OptionsOrMaker) => createHarness(typeof options === 'function' ? await options() : options);

/**
 * `const h = harnessPerTest(options)` in a describe block (or a file): a fresh harness before each of its
 * tests, destroyed after it. `h` stands for the running test's harness; options may be made per test
 * (a clock read from a node, say). The file's own beforeEach hooks run after the harness exists.
 */
export const harnessPerTest = (options: OptionsOrMaker = {}) => perTest('harness', () => made(options), (h) => h.destroy());

/** As harnessPerTest, one harness shared by every test of the block, for tests that only read. */
export const harnessPerFile = (options: OptionsOrMaker = {}) => perFile('harness', () => made(options), (h) => h.destroy());
