/**
 * The server under test, run exactly as `npm start` runs it (tsx on
 * server/main.ts) in a child process, on a free port and a fresh data
 * directory that is removed again afterwards.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface MerchantCredentials {
  account: string;
  key: string;
  secret: string;
}

export interface BenchServer {
  baseUrl: string;
  dataDir: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  createMerchant(name: string): Promise<MerchantCredentials>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

export async function startServer(root: string): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'payframe-bench-'));
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  // SANDBOX_AUTOMINE_MS=0: only the benchmark mines, so a block never lands mid-measurement.
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SANDBOX_AUTOMINE_MS: '0' };
  // Its own process group, so stop() reaches tsx and the node process it starts.
  const child = spawn(tsx, ['server/main.ts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const server: BenchServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    output: () => output,
    async createMerchant(name) {
      const { stdout } = await promisify(execFile)(tsx, ['server/cli.ts', 'merchant', 'create', '--name', name, '--json'], { cwd: root, env });
      const line = stdout.trim().split('\n').at(-1) ?? '';
      return JSON.parse(line) as MerchantCredentials;
    },
    async stop() {
      await stopProcessGroup(child, exited);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  try {
    await waitForHealth(server.baseUrl, exited, () => output);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitForHealth(baseUrl: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode} before answering /health:\n${output()}`);
    const ok = await fetch(`${baseUrl}/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer GET /health with 200 within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`);
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
