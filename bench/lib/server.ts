/**
 * The API server under test, started as `npm start` starts it (tsx on
 * server/main.ts) in a child process, on a free port (PORT=0: it prints the
 * one it bound) and a fresh data directory that is removed again afterwards;
 * and the reference server (bench/reference-server.ts), started the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForOutput } from '../../server/testing/wait-for';

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
  /** The resident memory of the server's processes (tsx and the node it runs), in bytes. */
  rssBytes(): number;
  createMerchant(name: string): Promise<MerchantCredentials>;
  /** Ends the server and any CLI still running, then removes the data directory. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/**
 * The abuse limits sized above the benchmark's own load, as an operator
 * sizes them for a high-volume deployment: with the defaults (100 requests/s
 * per key, 50 streams per IP), one load generator on loopback would measure
 * the limiter's 429s instead of the server.
 */
const BENCH_LIMITS = { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_KEY: '1000000', SSE_MAX_PER_IP: '1000000', SSE_MAX_PER_INVOICE: '1000000' };

/**
 * Payframe. With `cpuProfileDir`, its node process writes a V8 CPU profile
 * there when it stops (`node --cpu-prof`), for Chrome DevTools or speedscope.
 */
export async function startServer(root: string, extraEnv: Record<string, string> = {}, cpuProfileDir?: string): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'payframe-bench-'));
  // SANDBOX_AUTOMINE_MS=0: only the benchmark mines, so a block never lands mid-measurement.
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:0', DATA_DIR: dataDir, SANDBOX_AUTOMINE_MS: '0', ...BENCH_LIMITS, ...extraEnv };
  const running = new Set<Child>();
  const start = (args: string[], nodeFlags: string[] = []): Child => {
    const child = spawnTsx(root, args, env, nodeFlags);
    running.add(child);
    void child.exited.then(() => running.delete(child));
    return child;
  };

  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const serverProcess = start(['server/main.ts'], profile);
  const ready = waitForOutput(serverProcess.process, /^Payframe API\s+(\S+)/m, 'the server', STARTUP_TIMEOUT_MS);
  const server: BenchServer = {
    baseUrl: '',
    dataDir,
    output: serverProcess.output,
    rssBytes: () => groupRss(serverProcess.process.pid!),
    async createMerchant(name) {
      const cli = start(['server/cli.ts', 'merchant', 'create', '--name', name, '--json']);
      const code = await cli.exited;
      const line = cli.output().trim().split('\n').at(-1) ?? '';
      if (code !== 0) throw new Error(`the CLI (merchant create) exited with code ${code}:\n${cli.output()}`);
      return JSON.parse(line) as MerchantCredentials;
    },
    async stop() {
      // A CLI left running would create the data directory again after it is removed.
      await Promise.all([...running].map(stopProcessGroup));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  try {
    // Printed once the server answers: its URL, with the port it bound.
    server.baseUrl = (await ready)[1]!;
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** The reference server: the least possible work for each path Payframe is measured on (bench/reference-server.ts). */
export async function startReference(root: string): Promise<Omit<BenchServer, 'dataDir' | 'createMerchant'>> {
  const child = spawnTsx(root, ['bench/reference-server.ts'], process.env);
  try {
    const [, baseUrl] = await waitForOutput(child.process, /^Reference server\s+(\S+)/m, 'the reference server', STARTUP_TIMEOUT_MS);
    return { baseUrl: baseUrl!, output: child.output, rssBytes: () => groupRss(child.process.pid!), stop: () => stopProcessGroup(child) };
  } catch (err) {
    await stopProcessGroup(child);
    throw err;
  }
}

/**
 * tsx running `args`, in its own process group, so stopping it reaches tsx
 * and the node process tsx starts. With `nodeFlags` (which node refuses in
 * NODE_OPTIONS, like --cpu-prof), node itself runs with tsx as its loader.
 */
function spawnTsx(root: string, args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): Child {
  const [command, commandArgs] = nodeFlags.length > 0 ? [process.execPath, [...nodeFlags, '--import', 'tsx', ...args]] : [join(root, 'node_modules', '.bin', 'tsx'), args];
  const proc = spawn(command, commandArgs, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: proc, exited: new Promise((resolve) => proc.once('exit', resolve)), output: () => output };
}

/** Sum of VmRSS over the processes of a process group (Linux /proc). */
function groupRss(pgid: number): number {
  let kib = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, inside parentheses): state, ppid, pgrp, …
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return kib * 1024;
}

async function stopProcessGroup({ process: proc, exited }: Child): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const pgid = proc.pid;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
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

