/**
 * Starts Payframe and the demo shop as separate processes, the way they run
 * for real: two origins, the shop holding merchant credentials made by the
 * CLI. Used by `npm start`, the browser tests and the measuring script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertPortFree, freePort } from '../../server/testing/free-port';

/** For the scripts and browser tests that start a stack on ports of their own. */
export { freePort };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MerchantCredentials {
  account: string;
  key: string;
  secret: string;
}

export interface Child {
  url: string;
  stop(): Promise<void>;
}


/** Runs a TypeScript entry with tsx in a child process. `log` gets its output (a file path, or "inherit"). */
function runTs(entry: string, args: string[], env: Record<string, string>, log: string | 'inherit'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: log === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  if (log !== 'inherit') {
    const out = createWriteStream(log, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  return child;
}

async function waitForHttp(url: string, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before answering ${url}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
}

/** Creates a merchant with `npm run cli -- merchant create --json` against the data directory. */
export async function createMerchant(opts: { dataDir: string; origins: string[]; name?: string }): Promise<MerchantCredentials> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server/cli.ts'), 'merchant', 'create', '--name', opts.name ?? 'Bean There (demo)', '--origins', opts.origins.join(','), '--json'],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: opts.dataDir }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`merchant create failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as MerchantCredentials;
}

export async function startPayframe(opts: { port: number; dataDir: string; publicUrl: string; env?: Record<string, string>; log: string | 'inherit' }): Promise<Child> {
  if (!existsSync(join(ROOT, 'dist/widget.js'))) throw new Error('the checkout is not built: run `npm run build` first');
  // Something already on the port would answer the health check in our child's place.
  await assertPortFree(opts.port, 'Payframe (PORT)');
  const child = runTs('server/main.ts', [], { PORT: String(opts.port), HOST: '127.0.0.1', DATA_DIR: opts.dataDir, PUBLIC_URL: opts.publicUrl, ...opts.env }, opts.log);
  await waitForHttp(`http://127.0.0.1:${opts.port}/health`, child, 'Payframe');
  return { url: opts.publicUrl, stop: stopper(child) };
}

export async function startDemo(opts: { port: number; origin: string; payframeUrl: string; merchant: MerchantCredentials; log: string | 'inherit' }): Promise<Child> {
  await assertPortFree(opts.port, 'the demo shop (DEMO_PORT)');
  const child = runTs(
    'demo/main.ts',
    [],
    {
      DEMO_PORT: String(opts.port),
      DEMO_HOST: '127.0.0.1',
      DEMO_ORIGIN: opts.origin,
      PAYFRAME_URL: opts.payframeUrl,
      MERCHANT_ACCOUNT: opts.merchant.account,
      MERCHANT_KEY: opts.merchant.key,
      MERCHANT_SECRET: opts.merchant.secret,
    },
    opts.log,
  );
  await waitForHttp(`http://127.0.0.1:${opts.port}/support`, child, 'the demo shop');
  return { url: opts.origin, stop: stopper(child) };
}
