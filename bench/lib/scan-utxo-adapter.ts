/**
 * Part 3 of bench/scan-utxo.ts: the UTXO adapter end to end. A Payframe
 * runtime on a fresh SQLite file with N open LTC invoices watches a
 * litecoind; per block, sendmany transactions go into the mempool and the
 * adapter's poll() is timed twice: reading them (MEM_POOL_FOUND), then, once
 * the block is mined, scanning it (PAID). RPC time is what the adapter spends
 * in fetch, body included.
 */
import { bech32 } from '@scure/base';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressToScript } from '../../server/chains/utxo/script';
import { UtxoChain } from '../../server/chains/utxo/utxo-chain';
import { createRuntime, type Runtime } from '../../server/runtime';
import { SecretBox } from '../../server/secrets/secret-box';
import type { Litecoind } from '../../server/testing/litecoind';
import { litecoinRegtest } from '../../server/testing/utxo-fixture';
import { seedInvoices, type SeededInvoice } from './seed-invoices';
import { percentile, round } from './stats';

const CHAIN = 'litecoin-regtest';
/** Every invoice and every output: 0.0001 LTC. */
const UNITS = 10_000n;
const AMOUNT = '0.0001';
/** The adapter reloads its watched set this often; a run longer than that may have done it in a timed poll. */
const WATCH_REFRESH_MS = 60_000;
/** The background loop's next round; a run longer than that may have had one between the timed polls. */
const POLL_INTERVAL_MS = 600_000;
const secrets = new SecretBox(randomBytes(32));
const log = { info() {}, warn: (m: string) => console.warn(`  [warn] ${m}`), error: (m: string) => console.error(`  [error] ${m}`) };

const randomAddress = () => bech32.encode('rltc', [0, ...bech32.toWords(randomBytes(20))]);

export interface AdapterShape {
  openInvoices: number;
  blocks: number;
  txsPerBlock: number;
  outputsPerTx: number;
  payments: number;
}

interface PollTiming {
  totalMs: number;
  rpcMs: number;
}

const summarize = (polls: PollTiming[]) => ({
  medianMs: percentile(polls.map((p) => p.totalMs), 50),
  maxMs: round(Math.max(...polls.map((p) => p.totalMs))),
  rpcMedianMs: percentile(polls.map((p) => p.rpcMs), 50),
});

export interface AdapterResult {
  openInvoices: number;
  seedMs: number;
  /** The engine's query of the watched addresses (at start, then once a minute). */
  loadWatchedMs: number;
  /** Their output scripts, computed at start (a refresh reuses the known ones). */
  scriptsMs: number;
  blockPoll: ReturnType<typeof summarize>;
  mempoolPoll: ReturnType<typeof summarize>;
  mayIncludeWatchedRefresh: boolean;
  loopRoundPossible: boolean;
}

/** Times `fn` and the fetch calls made meanwhile (the RPC client uses the global fetch). */
async function timed(fn: () => Promise<unknown>): Promise<PollTiming> {
  const original = globalThis.fetch;
  let rpcMs = 0;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const t0 = performance.now();
    const res = await original(...args);
    const body = await res.arrayBuffer();
    rpcMs += performance.now() - t0;
    return new Response(body, { status: res.status, headers: res.headers });
  };
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    globalThis.fetch = original;
  }
  return { totalMs: performance.now() - t0, rpcMs };
}

async function expectStates(runtime: Runtime, payees: readonly SeededInvoice[], state: string): Promise<void> {
  const rows = await runtime.db.selectFrom('invoices').select('state').where('id', 'in', payees.map((p) => p.id)).execute();
  const wrong = rows.filter((r) => r.state !== state);
  if (rows.length !== payees.length || wrong.length > 0) throw new Error(`expected the ${payees.length} paid invoices in ${state}; got ${JSON.stringify(wrong.map((r) => r.state))}`);
}

export async function benchAdapter(node: Litecoind, shape: AdapterShape): Promise<AdapterResult> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-bench-scan-utxo-'));
  const dbFile = join(dir, 'payframe.db');
  try {
    const seedStart = performance.now();
    const invoices = await seedInvoices({ dbFile, secrets, log, chain: CHAIN }, Array.from({ length: shape.openInvoices }, () => ({ address: randomAddress(), currency: 'LTC', amount: UNITS })));
    const seedMs = performance.now() - seedStart;
    // The background loop polls once at start, then sleeps (10 min, the longest allowed): the benchmark drives poll() itself.
    const config = litecoinRegtest(node.rpcUrl, { pollIntervalMs: POLL_INTERVAL_MS });
    const runtime = await createRuntime({ dbFile, secrets, clock: { now: Date.now }, log, publicUrl: 'http://bench.test', sandbox: false, chainConfigs: [config] });
    const startedAt = Date.now();
    try {
      const chain = runtime.chains[0];
      if (!(chain instanceof UtxoChain)) throw new Error('runtime.chains[0] is not the UTXO chain');
      const head = await node.client.getBlockCount();
      while ((await runtime.engine.chainHeight(CHAIN)) < head) await new Promise((r) => setTimeout(r, 20));
      const loads: number[] = [];
      const decodes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const watched = await runtime.engine.sink.watchedAddresses(CHAIN);
        const t1 = performance.now();
        // What the adapter does with them at start: each address's output script is its key (a refresh reuses those it knows).
        const scripts = new Set(watched.map((a) => addressToScript(a, chain.network)));
        loads.push(t1 - t0);
        decodes.push(performance.now() - t1);
        if (watched.length !== shape.openInvoices || scripts.size !== shape.openInvoices) throw new Error(`watching ${watched.length} addresses (${scripts.size} scripts), expected ${shape.openInvoices}`);
      }
      const unpaid = [...invoices];
      const blockPolls: PollTiming[] = [];
      const mempoolPolls: PollTiming[] = [];
      for (let b = 0; b <= shape.blocks; b++) {
        const payees = unpaid.splice(0, shape.payments);
        const perTx = shape.payments / shape.txsPerBlock;
        for (let t = 0; t < shape.txsPerBlock; t++) {
          const outputs: Record<string, string> = {};
          for (const p of payees.slice(t * perTx, (t + 1) * perTx)) outputs[p.address] = AMOUNT;
          while (Object.keys(outputs).length < shape.outputsPerTx) outputs[randomAddress()] = AMOUNT;
          await node.sendMany(outputs);
        }
        const mempool = await timed(() => chain.poll());
        await expectStates(runtime, payees, 'MEM_POOL_FOUND');
        await node.mine();
        const scanned = await timed(() => chain.poll());
        await expectStates(runtime, payees, 'PAID');
        // Block 0 warms up the JIT and SQLite's page cache.
        if (b > 0) {
          mempoolPolls.push(mempool);
          blockPolls.push(scanned);
        }
      }
      return {
        openInvoices: shape.openInvoices,
        seedMs: round(seedMs),
        loadWatchedMs: percentile(loads, 50),
        scriptsMs: percentile(decodes, 50),
        blockPoll: summarize(blockPolls),
        mempoolPoll: summarize(mempoolPolls),
        mayIncludeWatchedRefresh: Date.now() - startedAt > WATCH_REFRESH_MS,
        loopRoundPossible: Date.now() - startedAt > POLL_INTERVAL_MS,
      };
    } finally {
      await runtime.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
