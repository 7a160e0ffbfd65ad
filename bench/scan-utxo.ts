/**
 * UTXO block-scanning benchmark: does matching a block grow with the number
 * of open invoices? It must not — each output's script is looked up in the
 * map of watched scripts, never each invoice checked.
 *
 *   1. Matching alone: findPayments over one synthetic block of ~2,000
 *      outputs (10 of them to watched scripts) with 1,000 / 10,000 / 100,000
 *      watched scripts.
 *   2. A real block from litecoind (regtest) with ~2,000 outputs: what the
 *      adapter pays per block — getblock (verbosity 2) over RPC with
 *      the exact-number parser, the zod schema (amounts to bigint), and
 *      matching with 100,000 watched scripts. This matching is the true
 *      per-block cost: each output's script is a fresh string that is
 *      hashed on its first lookup, which part 1's repeated rounds have
 *      cached (part 1 shows the growth with N, part 2 the absolute cost).
 *   3. End to end: a Payframe runtime with N open LTC invoices (N = 1,000
 *      and 100,000) watching the same litecoind through the UTXO adapter.
 *      Per block: 5 sendmany transactions of 400 outputs (10 of them pay
 *      invoices) go into the mempool, the adapter's poll() reads them
 *      (MEM_POOL_FOUND), the block is mined, and poll() scans it (PAID).
 *
 *   npm run bench:scan-utxo
 *   BENCH_SCAN_ITERATIONS=20000 BENCH_SCAN_BLOCK_READS=100 npx tsx bench/scan-utxo.ts
 *
 * See docs/benchmarks.md, "UTXO block scanning".
 */
import { HDKey } from '@scure/bip32';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { addressDeriver } from '../server/chains/utxo/keys';
import { networkByPrefix } from '../server/chains/utxo/networks';
import { blockSchema, type Tx } from '../server/chains/utxo/rpc-schema';
import { findPayments } from '../server/chains/utxo/scan';
import { addressToScript } from '../server/chains/utxo/script';
import { startLitecoind, type Litecoind } from '../server/testing/litecoind';
import { benchAdapter, type AdapterResult } from './lib/scan-utxo-adapter';
import { ITERATIONS, MATCH_SIZES, timeMatching, WARMUP_ITERATIONS } from './lib/matching';
import { envInt, percentile } from './lib/stats';

const BLOCK_READS = envInt('BENCH_SCAN_BLOCK_READS', 30);
/** A typical block: most transactions pay one recipient plus change, some batch payouts. */
const TXS_PER_BLOCK = 800;
const PAYMENTS = 10;
/** Part 2: sendmany transactions of this many outputs each, to fill a block with ~2,000 outputs. */
const REAL_TXS = 5;
const REAL_OUTPUTS_PER_TX = 400;
const RLTC = networkByPrefix('rltc')!;
/** Part 3: measured blocks per invoice count, and the counts. */
const ADAPTER_BLOCKS = envInt('BENCH_SCAN_BLOCKS', 5);
const ADAPTER_INVOICES = (process.env.BENCH_SCAN_INVOICES ?? '1000,100000').split(',').map((n) => envIntOf('BENCH_SCAN_INVOICES', n));

function envIntOf(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < PAYMENTS * (ADAPTER_BLOCKS + 1)) throw new Error(`${name} must be a comma-separated list of invoice counts of at least ${PAYMENTS * (ADAPTER_BLOCKS + 1)}, got "${text}"`);
  return n;
}

const randomScript = () => `0014${randomBytes(20).toString('hex')}`;

function watchedMap(targets: string[], size: number): Map<string, string> {
  const watched = new Map(targets.map((s, i) => [s, `invoice-${i}`]));
  while (watched.size < size) watched.set(randomScript(), 'invoice');
  return watched;
}

// ---------------------------------------------------------------- 1. matching

interface MatchResult {
  watched: number;
  outputs: number;
  medianUs: number;
  p95Us: number;
}

/** Transactions with 1–6 outputs (~2.5 on average), one coinbase, `PAYMENTS` outputs to the targets. */
function syntheticBlock(): { txs: Tx[]; targets: string[]; outputs: number } {
  const targets = Array.from({ length: PAYMENTS }, randomScript);
  let outputs = 0;
  const txs: Tx[] = Array.from({ length: TXS_PER_BLOCK }, (_, i) => {
    const count = i === 0 ? 2 : i % 10 === 0 ? 6 : i % 2 === 0 ? 2 : 1 + (i % 3);
    outputs += count;
    return {
      txid: randomBytes(32).toString('hex'),
      vin: i === 0 ? [{ kind: 'coinbase' }] : [{ kind: 'spend', txid: randomBytes(32).toString('hex'), vout: 0 }],
      vout: Array.from({ length: count }, (_, n) => ({
        n,
        units: BigInt(1_000 + i * 7 + n),
        script: n === 0 && i > 0 && i <= PAYMENTS ? targets[i - 1]! : randomScript(),
        type: 'witness_v0_keyhash',
        address: undefined,
      })),
    };
  });
  return { txs, targets, outputs };
}

function benchMatching(): MatchResult[] {
  const block = syntheticBlock();
  const maps = MATCH_SIZES.map((size) => watchedMap(block.targets, size));
  const timed = timeMatching(maps, (watched) => findPayments(block.txs, watched).length, PAYMENTS);
  return maps.map((watched, m) => ({ watched: watched.size, outputs: block.outputs, ...timed[m]! }));
}

// ---------------------------------------------------------------- 2. a real block

interface RealBlockResult {
  transactions: number;
  outputs: number;
  /** Serialized size of the block (its JSON at verbosity 2 is several times larger). */
  blockBytes: number;
  watched: number;
  /** getblock over HTTP, including the exact-number JSON parse. */
  rpcMedianMs: number;
  /** The zod schema: shapes checked, amounts to bigint base units. */
  schemaMedianMs: number;
  matchMedianMs: number;
}

async function benchRealBlock(node: Litecoind): Promise<RealBlockResult> {
  {
    const merchant = addressDeriver(HDKey.fromMasterSeed(randomBytes(32)).derive("m/84'/1'/0'"), 'rltc');
    let index = 0;
    const paid: string[] = [];
    for (let t = 0; t < REAL_TXS; t++) {
      const amounts: Record<string, string> = {};
      for (let o = 0; o < REAL_OUTPUTS_PER_TX; o++) amounts[merchant(index++)] = '0.0001';
      paid.push(...Object.keys(amounts).slice(0, PAYMENTS / REAL_TXS));
      await node.sendMany(amounts);
    }
    const [hash] = await node.mine();
    const watched = watchedMap(
      paid.map((a) => addressToScript(a, RLTC)!),
      100_000,
    );

    const rpc: number[] = [];
    const schema: number[] = [];
    const match: number[] = [];
    let shape = { transactions: 0, outputs: 0 };
    for (let i = 0; i < BLOCK_READS + 3; i++) {
      const t0 = performance.now();
      const raw = await node.client.call('getblock', [hash, 2]);
      const t1 = performance.now();
      const block = blockSchema.parse(raw);
      const t2 = performance.now();
      const found = findPayments(block.tx, watched);
      const t3 = performance.now();
      if (found.length !== PAYMENTS) throw new Error(`found ${found.length} payments in the real block, expected ${PAYMENTS}`);
      // The first reads warm up the JIT.
      if (i >= 3) {
        rpc.push(t1 - t0);
        schema.push(t2 - t1);
        match.push(t3 - t2);
      }
      shape = { transactions: block.tx.length, outputs: block.tx.reduce((n, tx) => n + tx.vout.length, 0) };
    }
    const { size } = (await node.rpc('getblock', [hash, 1])) as { size: number };
    return { ...shape, blockBytes: size, watched: watched.size, rpcMedianMs: percentile(rpc, 50), schemaMedianMs: percentile(schema, 50), matchMedianMs: percentile(match, 50) };
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  console.log(`Payframe UTXO block-scanning benchmark; ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`);

  console.log(`\n1. Matching only: findPayments over ${TXS_PER_BLOCK} transactions, ${PAYMENTS} outputs to watched scripts (${ITERATIONS} iterations after ${WARMUP_ITERATIONS} warm-up)`);
  const matching = benchMatching();
  console.log(`  ${'watched scripts'.padEnd(16)} ${'outputs'.padStart(8)} ${'median µs'.padStart(10)} ${'p95 µs'.padStart(10)}`);
  for (const m of matching) console.log(`  ${m.watched.toLocaleString('en').padEnd(16)} ${String(m.outputs).padStart(8)} ${String(m.medianUs).padStart(10)} ${String(m.p95Us).padStart(10)}`);

  console.log(`\n2. A real litecoind block: ${REAL_TXS} sendmany transactions of ${REAL_OUTPUTS_PER_TX} outputs, read ${BLOCK_READS} times`);
  const node = await startLitecoind();
  let real: RealBlockResult;
  const adapter: AdapterResult[] = [];
  try {
    real = await benchRealBlock(node);
    console.log(`  ${real.transactions} transactions, ${real.outputs} outputs, ${(real.blockBytes / 1024).toFixed(0)} KiB; ${real.watched.toLocaleString('en')} watched scripts`);
    console.log(`  median per block: getblock over RPC + exact parse ${real.rpcMedianMs} ms, schema ${real.schemaMedianMs} ms, matching ${real.matchMedianMs} ms`);

    console.log(`\n3. End to end through the UTXO adapter: ${ADAPTER_BLOCKS} blocks (+1 warm-up) of ${REAL_TXS} sendmany transactions of ${REAL_OUTPUTS_PER_TX} outputs, ${PAYMENTS} paying invoices`);
    for (const count of ADAPTER_INVOICES) {
      console.log(`  N=${count.toLocaleString('en')}: seeding invoices, then ${ADAPTER_BLOCKS + 1} blocks…`);
      adapter.push(await benchAdapter(node, { openInvoices: count, blocks: ADAPTER_BLOCKS, txsPerBlock: REAL_TXS, outputsPerTx: REAL_OUTPUTS_PER_TX, payments: PAYMENTS }));
    }
  } finally {
    await node.stop();
  }
  const line = (p: AdapterResult['blockPoll']) => `${String(p.medianMs).padStart(7)} ms (max ${p.maxMs}; RPC ${p.rpcMedianMs})`;
  console.log(`\n  ${'open invoices'.padEnd(14)} ${'poll() that scans the mined block'.padEnd(40)} poll() with ${REAL_TXS} new txs in the mempool`);
  for (const r of adapter) console.log(`  ${r.openInvoices.toLocaleString('en').padEnd(14)} ${line(r.blockPoll).padEnd(40)} ${line(r.mempoolPoll)}`);
  for (const r of adapter) {
    console.log(`  N=${r.openInvoices.toLocaleString('en')}: loading the watched set ${r.loadWatchedMs} ms (at start, then once a minute), their scripts ${r.scriptsMs} ms (at start); seeding ${r.seedMs} ms`);
  }

  console.log(
    JSON.stringify({
      bench: 'payframe-scan-utxo',
      at: new Date().toISOString(),
      machine,
      settings: { iterations: ITERATIONS, warmupIterations: WARMUP_ITERATIONS, blockReads: BLOCK_READS, adapterBlocks: ADAPTER_BLOCKS },
      matching,
      realBlock: real,
      adapter,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
