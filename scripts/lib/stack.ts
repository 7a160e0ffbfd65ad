/**
 * Starts Payframe and the demo shop as separate processes, the way they run
 * for real: two origins, the shop holding merchant credentials made by the
 * CLI. Used by `npm start`, the browser tests and the measuring script.
 *
 * Each server listens on the port it is given — 0 by default: any free port —
 * and the caller reads the port it bound from the server's first line, so two
 * stacks never race for a port that was free a moment before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { merchantCreate, merchantSetOrigins, merchantSetXpub, type CliDeps } from '../../server/cli/commands';
import { openSqlite } from '../../server/db/open';
import { waitForOutput } from '../../server/testing/wait-for';
import { systemClock } from '../../server/clock';
import { parseConfig } from '../../server/config';
import { loadMasterKeys } from '../../server/secrets/master-key';
import { sealStoredSecrets } from '../../server/secrets/seal-stored';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MerchantCredentials {
  account: string;
  key: string;
  secret: string;
}

export interface Child {
  /** As browsers reach it: Payframe's public URL, the shop's origin. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry with tsx in a child process. `log` gets its output (a file path, or "inherit": this terminal). */
function runTs(entry: string, env: Record<string, string>, log: string | 'inherit'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Piped even for the terminal: the caller reads the port from the first line.
  const [out, err] = log === 'inherit' ? [process.stdout, process.stderr] : [createWriteStream(log, { flags: 'a' }), undefined];
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(err ?? out, { end: false });
  return child;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      // A grace period for a clean shutdown, not a wait for anything: after it, the process is killed.
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
}

/** Starts `entry` and waits for its "<name>  <url>  (listening on <address>:<port>)" line. */
async function startServer(entry: string, name: string, what: string, env: Record<string, string>, log: string | 'inherit'): Promise<Child> {
  const child = runTs(entry, env, log);
  const stop = stopper(child);
  try {
    const [, url, port] = await waitForOutput(child, new RegExp(`^${name}\\s+(\\S+)\\s+\\(listening on .+:(\\d+)\\)$`, 'm'), what);
    return { url: url!, port: Number(port), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs a CLI command in this process against the database in `dataDir`, as `npm run cli` would there; returns its stdout. */
async function cli(dataDir: string, command: (deps: CliDeps) => Promise<number>): Promise<string> {
  const written = { out: [] as string[], err: [] as string[] };
  // The master key the server started on this data directory will use (its key file, created here when new).
  const { secrets, previous } = loadMasterKeys({ ...parseConfig(process.env), dataDir });
  const db = await openSqlite(join(dataDir, 'payframe.db'));
  try {
    await sealStoredSecrets(db, secrets, previous);
    const code = await command({ db, secrets, clock: systemClock, output: { out: (l) => written.out.push(l), err: (l) => written.err.push(l) } });
    if (code !== 0) throw new Error(`the CLI exited with code ${code}: ${written.err.join('\n')}`);
  } finally {
    await db.destroy();
  }
  return written.out.join('\n');
}

/** `npm run cli -- merchant create --json` against the data directory. */
export async function createMerchant(opts: { dataDir: string; origins: string[]; name?: string }): Promise<MerchantCredentials> {
  const json = await cli(opts.dataDir, (deps) => merchantCreate(deps, { name: opts.name ?? 'Bean There (demo)', origins: opts.origins.join(','), json: true }));
  return JSON.parse(json) as MerchantCredentials;
}

/** `npm run cli -- merchant set-origins`: for a shop whose origin is known only once it listens. */
export async function setMerchantOrigins(opts: { dataDir: string; account: string; origins: string[] }): Promise<void> {
  await cli(opts.dataDir, (deps) => merchantSetOrigins(deps, { account: opts.account, origins: opts.origins.join(',') }));
}

/** `npm run cli -- merchant set-xpub --chain evm`: the key every EVM chain's invoice addresses derive from. */
export async function setMerchantEvmXpub(opts: { dataDir: string; account: string; xpub: string }): Promise<void> {
  await cli(opts.dataDir, (deps) => merchantSetXpub(deps, { account: opts.account, chain: 'evm', xpub: opts.xpub }));
}

/**
 * Payframe on 127.0.0.1:`port` (0: any free one). `publicUrl` defaults to
 * http://127.0.0.1:0, which Payframe completes with the port it bound.
 */
export async function startPayframe(opts: { port?: number; dataDir: string; publicUrl?: string; env?: Record<string, string>; log: string | 'inherit' }): Promise<Child> {
  if (!existsSync(join(ROOT, 'dist/widget.js'))) throw new Error('the checkout is not built: run `npm run build` first');
  const env = { PORT: String(opts.port ?? 0), HOST: '127.0.0.1', DATA_DIR: opts.dataDir, PUBLIC_URL: opts.publicUrl ?? 'http://127.0.0.1:0', ...opts.env };
  return startServer('server/main.ts', 'Payframe API', 'Payframe', env, opts.log);
}

/** The demo shop on 127.0.0.1:`port` (0: any free one); its origin is http://localhost:<port> unless given. */
export async function startDemo(opts: { port?: number; origin?: string; payframeUrl: string; merchant: MerchantCredentials; log: string | 'inherit' }): Promise<Child> {
  const env = {
    DEMO_PORT: String(opts.port ?? 0),
    DEMO_HOST: '127.0.0.1',
    ...(opts.origin ? { DEMO_ORIGIN: opts.origin } : {}),
    PAYFRAME_URL: opts.payframeUrl,
    MERCHANT_ACCOUNT: opts.merchant.account,
    MERCHANT_KEY: opts.merchant.key,
    MERCHANT_SECRET: opts.merchant.secret,
  };
  return startServer('demo/main.ts', 'Demo shop', 'the demo shop', env, opts.log);
}
