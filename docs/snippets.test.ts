/**
 * Every code block of README.md and docs/*.md, run or checked as written
 * (docs/snippets.ts lists them; the HTML ones run in Chromium, in
 * e2e/docs-snippets.spec.ts). Against a real Payframe: a runtime on a real
 * SQLite file in a temp data directory, listening on a port of its own, with
 * the sandbox chain; shell blocks run in bash, JavaScript and TypeScript
 * blocks as modules with node.
 *
 * The only rewriting: the docs' example addresses point at this Payframe
 * (`http://localhost:3000`, `https://pay.example.com`) and their placeholders
 * (`0x…`, `xpub6…`, `https://shop.example`) become a real merchant, a real key
 * and a local receiver. A block's marker (see docs/snippets.ts) names a
 * harness that adds what a fragment leaves to its reader — the Hono app a
 * receiver is mounted on, a signed webhook to verify — and what to expect.
 */
import { serve, type ServerType } from '@hono/node-server';
import { HDKey } from '@scure/bip32';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, signTestWebhook, type Client } from '../client/index';
import { envelope, merchantApi, type MerchantRoute } from '../contract/merchant-api';
import { webhookEvent, type WebhookEvent } from '../contract/webhook-events';
import { readWire } from '../contract/wire-json';
import { parseChains } from '../server/chains/chains-file';
import { systemClock } from '../server/clock';
import { createMerchant, type NewMerchant } from '../server/merchants/merchants';
import { createRuntime, type Runtime } from '../server/runtime';
import { loadMasterKeys } from '../server/secrets/master-key';
import { silentLog } from '../server/testing/harness';
import { startReceiver, type Receiver } from '../server/webhooks/test-receiver';
import { allSnippets, describeSnippet, ROOT, type Snippet } from './snippets';

const run = promisify(execFile);
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
/** A BIP-32 account key (m/44'/60'/0' of a test seed), for the placeholder `xpub6…`. */
const TEST_XPUB = HDKey.fromMasterSeed(new Uint8Array(32).fill(3)).derive("m/44'/60'/0'").publicExtendedKey;

let dir: string;
let runtime: Runtime;
let server: ServerType;
let base: string;
let merchant: NewMerchant;
let client: Client;
let receiver: Receiver;
let webhookSecret: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'payframe-docs-'));
  const { secrets } = loadMasterKeys({ dataDir: dir, masterKey: undefined, previousMasterKey: undefined });
  runtime = await createRuntime({ dbFile: join(dir, 'payframe.db'), secrets, clock: systemClock, log: silentLog, publicUrl: 'http://placeholder', sandbox: true });
  server = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  merchant = await createMerchant(runtime.db, secrets, { name: 'Docs shop', origins: [], now: Date.now() });
  client = createClient({ baseUrl: base, ...merchant });
  receiver = await startReceiver();
  ({ secretKey: webhookSecret } = await client.createWebhookSubscription({ url: receiver.url, notificationEventTypes: ['INVOICE_PAID'] }));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment a reader of the docs has: where Payframe is, and their merchant's credentials. */
const readerEnv = () => ({
  ...process.env,
  DATA_DIR: dir,
  PUBLIC_URL: base,
  PAYFRAME_URL: base,
  PAYFRAME_ACCOUNT: merchant.account,
  PAYFRAME_KEY: merchant.key,
  PAYFRAME_SECRET: merchant.secret,
  PAYFRAME_WEBHOOK_SECRET: webhookSecret,
});

/** The docs' example addresses and placeholders, made real. */
const localize = (text: string) =>
  text
    .replaceAll('http://localhost:3000', base)
    .replaceAll('https://pay.example.com', base)
    .replaceAll('https://shop.example', receiver.url.replace(/\/hooks\/payframe$/, ''))
    .replaceAll('0x…', merchant.account)
    .replaceAll('xpub6…', TEST_XPUB);

async function bash(script: string): Promise<{ stdout: string; stderr: string }> {
  return run('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env: readerEnv(), maxBuffer: 16 * 1024 * 1024 });
}

/** Runs `code` as an ES module (TypeScript allowed) inside the repository, so `payframe/client` resolves as for a merchant. */
async function module(snippet: Snippet, code: string): Promise<string> {
  const folder = join(ROOT, '.cache', 'snippets');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${snippet.file.replace(/\W/g, '_')}_${snippet.line}_${process.pid}.mts`);
  writeFileSync(file, code);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: readerEnv() });
    return stdout.trim();
  } finally {
    rmSync(file, { force: true });
  }
}

/** A signed INVOICE_PAID for order-7, as Payframe would deliver it to the docs' receiver. */
function paidEvent(): WebhookEvent {
  const example = readFileSync(join(ROOT, 'docs/webhooks.md'), 'utf8');
  const body = /<!-- snippet: webhook-event -->\n```json\n([\s\S]*?)\n```/.exec(example)![1]!;
  return readWire(JSON.stringify(JSON.parse(body))) as WebhookEvent;
}

const signedJson = (secret: string) => JSON.stringify(signTestWebhook(paidEvent(), { secret }));

/** What a receiver fragment leaves to its reader: the Hono app it is mounted on, and the shop's order book. */
const RECEIVER_PROLOGUE = `import { Hono } from 'hono';
const app = new Hono();
const paid: string[] = [];
const markOrderPaid = async (orderId: string) => { paid.push(orderId); };
const alreadyProcessed = async (_id: number) => false;
`;
const receiverEpilogue = (secret: string) => `
const post = async (signed: { body: string; headers: Record<string, string> }) => (await app.request('/payframe/webhooks', { method: 'POST', body: signed.body, headers: signed.headers })).status;
const good = ${signedJson(secret)};
const forged = ${signedJson(`whsec_${Buffer.alloc(32, 9).toString('base64')}`)};
console.log(JSON.stringify({ good: await post(good), forged: await post(forged), paid }));
`;

type Check = (s: Snippet) => Promise<void>;

const routeAt = (path: string): MerchantRoute => {
  const route = Object.values(merchantApi).find((r) => r.path === path);
  if (!route) throw new Error(`no route ${path} in contract/merchant-api.ts`);
  return route;
};

const CHECKS: Record<string, Check> = {
  async 'npm-start'(s) {
    expect(s.body.trim()).toBe('npm install && npm start');
    // `npm install` is what CI's `npm ci` already did; `npm start` runs for real, on ports of its own.
    const data = mkdtempSync(join(tmpdir(), 'payframe-start-'));
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: '0', DEMO_PORT: '0', DATA_DIR: data, SANDBOX_AUTOMINE_MS: '0' }, detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const urls = await new Promise<{ payframe: string; shop: string }>((resolve, reject) => {
        const look = () => {
          const payframe = /Payframe\s+(http\S+)/.exec(out)?.[1];
          const shop = /Demo shop\s+(http\S+)\s+\(open this one\)/.exec(out)?.[1];
          if (payframe && shop) resolve({ payframe, shop });
        };
        child.stdout.on('data', look);
        child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing its URLs:\n${out}`)));
      });
      expect((await fetch(`${urls.payframe}/health`)).status).toBe(200);
      const shop = await fetch(urls.shop);
      expect({ status: shop.status, html: await shop.text() }).toMatchObject({ status: 200, html: expect.stringContaining('widget.js') });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      rmSync(data, { recursive: true, force: true });
    }
  },

  async 'try-it'(s) {
    const { stdout } = await bash(localize(s.body));
    const id = /pay\/(inv_[\w-]+)/.exec(stdout)?.[1];
    expect(id, stdout).toBeDefined();
    // The stream starts with the invoice as it is when curl connects (the payment may already be in), then every change, in order.
    const order = ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED'];
    const states = [...stdout.matchAll(/"state":"(\w+)"/g)].map((m) => order.indexOf(m[1]!));
    expect(states.every((state, i) => state >= 0 && (i === 0 || state >= states[i - 1]!)), stdout).toBe(true);
    expect(states.at(-1)).toBe(order.indexOf('COMPLETED'));
    expect(await (await fetch(`${base}/api/checkout/${id}`)).json()).toMatchObject({ state: 'COMPLETED', final: true });
  },

  async cli(s) {
    const { stdout } = await bash(localize(s.body));
    expect(stdout).not.toBe('');
  },

  async commands(s) {
    for (const line of s.body.trim().split('\n')) {
      const npmRun = /^npm run (\S+)/.exec(line);
      const tsx = /^npx tsx (\S+)/.exec(line);
      if (npmRun) expect(PACKAGE.scripts, line).toHaveProperty([npmRun[1]!]);
      else if (tsx) expect(existsSync(join(ROOT, tsx[1]!)), line).toBe(true);
      else expect(line).toBe('npm install');
    }
  },

  async output(s) {
    const commands = s.body.split('\n').filter((l) => l.startsWith('$ '));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(PACKAGE.scripts, line).toHaveProperty([/^\$ npm run (\S+)/.exec(line)?.[1] ?? '(not npm run)']);
  },

  async 'with-client'(s) {
    const prologue = `import { createClient } from 'payframe/client';\nconst payframe = createClient({ baseUrl: process.env.PAYFRAME_URL!, account: process.env.PAYFRAME_ACCOUNT!, key: process.env.PAYFRAME_KEY!, secret: process.env.PAYFRAME_SECRET! });\n`;
    const out = await module(s, `${prologue}${localize(s.body)}\nconsole.log(secretKey);\n`);
    expect(out).toMatch(/^whsec_/);
  },

  async 'verify-functions'(s) {
    const epilogue = `
// As node:http hands them over: header names in lower case.
const signed = ${signedJson(webhookSecret)};
const good = { body: signed.body, headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])) };
const tampered = { ...good, body: good.body.replace('order-1042', 'order-1043') };
console.log(JSON.stringify([verifySign(good.body, good.headers) && verifyStandard(good.body, good.headers), verifySign(tampered.body, tampered.headers), verifyStandard(tampered.body, tampered.headers)]));
`;
    expect(await module(s, `${s.body}${epilogue}`)).toBe('[true,false,false]');
  },

  async receiver(s) {
    const out = JSON.parse(await module(s, `${RECEIVER_PROLOGUE}${s.body}${receiverEpilogue(webhookSecret)}`)) as unknown;
    expect(out).toEqual({ good: 204, forged: 400, paid: ['order-1042'] });
  },

  async 'webhook-event'(s) {
    expect(webhookEvent.safeParse(readWire(JSON.stringify(JSON.parse(s.body)))).error).toBeUndefined();
  },

  async 'chains-file'(s) {
    expect(() => parseChains(JSON.parse(s.body))).not.toThrow();
  },
};

/** Markers with an argument: `request <path>`, `response <path>`. */
function checkOf(s: Snippet): Check | undefined {
  const [name = '', arg = ''] = (s.marker ?? '').split(' ');
  if (name === 'request') return async () => expect(envelope(routeAt(arg).payload as z.ZodType).safeParse(JSON.parse(s.body)).error).toBeUndefined();
  if (name === 'response') return async () => expect(routeAt(arg).response.safeParse(readWire(s.body)).error).toBeUndefined();
  if (s.marker) return CHECKS[s.marker];
  // No marker: a complete program, run as written against this Payframe.
  if (s.lang === 'ts' || s.lang === 'js') return async () => void (await module(s, localize(s.body)));
  return undefined;
}

const snippets = allSnippets();

describe('docs snippets', () => {
  it('finds the blocks of README.md and docs/', () => {
    expect(snippets.length).toBeGreaterThan(20);
  });

  for (const s of snippets) {
    const reason = /^not run: (.+)$/.exec(s.marker ?? '')?.[1];
    if (reason) {
      it(`${describeSnippet(s)} says why it is not run`, () => expect(reason.length).toBeGreaterThan(20));
    } else if (s.lang === 'html') {
      it(`${describeSnippet(s)} runs in Chromium (e2e/docs-snippets.spec.ts)`, () => {
        expect(readFileSync(join(ROOT, 'e2e/docs-snippets.spec.ts'), 'utf8')).toContain("lang === 'html'");
      });
    } else {
      it(`${describeSnippet(s)} runs as written`, async () => {
        const check = checkOf(s);
        if (!check) throw new Error(`${describeSnippet(s)}: no way to run this block; give it a marker (docs/snippets.ts)`);
        await check(s);
      });
    }
  }
});
