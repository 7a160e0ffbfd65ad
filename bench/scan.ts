/**
 * Block-scanning benchmark: does the cost of scanning a block grow with the
 * number of open invoices? It must not — each transfer in a block is looked
 * up in the set of watched addresses, never each invoice checked.
 *
 *   1. Matching alone: nativeTransfers + tokenTransfers over one synthetic
 *      block (500 transactions, 500 token Transfer logs, 10 of them to
 *      watched addresses) with 1,000 / 10,000 / 100,000 watched addresses.
 *   2. End to end: a Payframe runtime with N open invoices (N = 1,000 and
 *      100,000) watching a real anvil. Per block: 500 transactions go into
 *      anvil's mempool, the adapter's poll() reads them (MEM_POOL_FOUND),
 *      the block is mined, and poll() scans it (PAID).
 *
 *   npx tsx bench/scan.ts
 *   BENCH_SCAN_BLOCKS=10 BENCH_SCAN_ITERATIONS=20000 npx tsx bench/scan.ts
 *
 * See docs/benchmarks.md, "Block scanning".
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData, erc20Abi, getAddress, type Hex } from 'viem';
import { EvmChain } from '../server/chains/evm/evm-chain';
import { nativeTransfers, tokenTransfers, type ScanContext, type ScanLog, type ScanTx } from '../server/chains/evm/scan';
import { createRuntime, type Runtime } from '../server/runtime';
import { SecretBox } from '../server/secrets/secret-box';
import { anvilChainConfig, startAnvil, TEST_TOKEN, type Anvil } from '../server/testing/anvil';
import { seedInvoices, type SeededInvoice } from './lib/seed-invoices';
import { ITERATIONS, MATCH_SIZES, timeMatching, WARMUP_ITERATIONS } from './lib/matching';
import { envInt, percentile, round } from './lib/stats';

const BLOCKS = envInt('BENCH_SCAN_BLOCKS', 5);
const TXS_PER_BLOCK = 500;
/** Of the 500: token transfers (the rest move ETH), and payments to invoices of each kind. */
const TOKEN_TXS = 100;
const PAYMENTS_PER_KIND = 5;
/** One invoice in ten is in USDT: enough of them for every block's token payments. */
const INVOICE_COUNTS = envList('BENCH_SCAN_INVOICES', [1_000, 100_000], PAYMENTS_PER_KIND * 10 * (BLOCKS + 1));
const WALLETS = 10;
/** One master key for the seeding runtime and the measured one: both open the same database's secrets. */
const secrets = new SecretBox(randomBytes(32));
const ETH_INVOICE_WEI = 10n ** 15n;
const USDT_INVOICE_UNITS = 1_000_000n;
/** The adapter reloads its watched set this often; a timed poll that did is flagged. */
const WATCH_REFRESH_MS = 60_000;
const log = { info() {}, warn: (m: string) => console.warn(`  [warn] ${m}`), error: (m: string) => console.error(`  [error] ${m}`) };

const randomAddress = (): Hex => `0x${randomBytes(20).toString('hex')}`;
const randomHash = (): Hex => `0x${randomBytes(32).toString('hex')}`;

// ---------------------------------------------------------------- 1. matching

interface MatchResult {
  watched: number;
  medianUs: number;
  p95Us: number;
  matches: number;
}

/**
 * One block as the adapter hands it to the scanner: transaction recipients
 * in lower case as the node sends them, log addresses checksummed as viem
 * decodes them. `targets` are the 10 recipients that get watched.
 */
function syntheticBlock(): { txs: ScanTx[]; logs: ScanLog[]; targets: string[]; ctx: Omit<ScanContext, 'watched'> } {
  const tokens = [randomAddress(), randomAddress()];
  const targets = Array.from({ length: 10 }, randomAddress);
  const txs: ScanTx[] = Array.from({ length: TXS_PER_BLOCK }, (_, i) => ({
    hash: randomHash(),
    from: randomAddress(),
    to: i % 100 === 99 ? null : i < TOKEN_TXS ? tokens[i % 2]! : i < TOKEN_TXS + 5 ? (targets[i - TOKEN_TXS] as Hex) : randomAddress(),
    value: i < TOKEN_TXS ? 0n : BigInt(1 + i) * 10n ** 15n,
    input: '0x',
  }));
  // 500 logs over the first 100 transactions, the token calls (5 each, as swaps and routers emit), in block order as the node returns them.
  const logs: ScanLog[] = Array.from({ length: 500 }, (_, i) => ({
    transactionHash: txs[Math.floor(i / 5)]!.hash,
    logIndex: i,
    address: getAddress(tokens[i % 2]!),
    from: getAddress(randomAddress()),
    to: getAddress(i % 100 === 7 ? targets[5 + (i - 7) / 100]! : randomAddress()),
    value: BigInt(1 + i) * 1000n,
  }));
  return { txs, logs, targets, ctx: { nativeCurrency: 'ETH', tokens: new Map(tokens.map((t, i) => [t, `TOKEN${i}`])) } };
}

function benchMatching(): MatchResult[] {
  const block = syntheticBlock();
  const contexts = MATCH_SIZES.map((size): ScanContext => {
    const watched = new Set(block.targets);
    while (watched.size < size) watched.add(randomAddress());
    return { ...block.ctx, watched };
  });
  const scan = (ctx: ScanContext) => nativeTransfers(block.txs, ctx).length + tokenTransfers(block.logs, ctx).length;
  const timed = timeMatching(contexts, scan, 10);
  return contexts.map((_, c) => ({ watched: MATCH_SIZES[c]!, ...timed[c]!, matches: 10 }));
}

// ---------------------------------------------------------------- 2. end to end

interface PollTiming {
  totalMs: number;
  rpcMs: number;
  rpcCalls: Record<string, number>;
  rpcMsByMethod: Record<string, number>;
  engineMs: number;
  watchedRefreshes: number;
}

/** What the timed polls spend on RPC (node + transfer) and in the engine, recorded by wrapping fetch and the sink. */
class PollMeter {
  private current: PollTiming | undefined;

  constructor() {
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const t0 = performance.now();
      const res = await realFetch(input, init);
      const body = await res.arrayBuffer();
      if (this.current) {
        const ms = performance.now() - t0;
        const method = (JSON.parse(String(init?.body)) as { method: string }).method;
        this.current.rpcMs += ms;
        this.current.rpcCalls[method] = (this.current.rpcCalls[method] ?? 0) + 1;
        this.current.rpcMsByMethod[method] = (this.current.rpcMsByMethod[method] ?? 0) + ms;
      }
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }

  /** Times every call of the engine's sink: the adapter holds this very object. */
  wrapSink(runtime: Runtime): void {
    const sink = runtime.engine.sink;
    for (const name of ['payment', 'payments', 'removed', 'unconfirmed', 'tip', 'watchedAddresses'] as const) {
      const original = sink[name] as unknown as (...args: unknown[]) => Promise<unknown>;
      (sink as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await original(...args);
        } finally {
          if (this.current) {
            this.current.engineMs += performance.now() - t0;
            if (name === 'watchedAddresses') this.current.watchedRefreshes++;
          }
        }
      };
    }
  }

  async time(poll: () => Promise<boolean>): Promise<PollTiming> {
    const timing: PollTiming = { totalMs: 0, rpcMs: 0, rpcCalls: {}, rpcMsByMethod: {}, engineMs: 0, watchedRefreshes: 0 };
    this.current = timing;
    const t0 = performance.now();
    try {
      if (!(await poll())) throw new Error('poll() did not catch up with the head');
    } finally {
      timing.totalMs = performance.now() - t0;
      this.current = undefined;
    }
    return timing;
  }
}

type OpenInvoice = SeededInvoice & { address: Hex; currency: 'ETH' | 'USDT' };

/** N open invoices (random addresses, one in ten in USDT). */
async function seedOpenInvoices(dbFile: string, count: number): Promise<OpenInvoice[]> {
  const invoices = Array.from({ length: count }, (_, i) => {
    const currency = i % 10 === 0 ? ('USDT' as const) : ('ETH' as const);
    return { address: randomAddress(), currency, amount: currency === 'ETH' ? ETH_INVOICE_WEI : USDT_INVOICE_UNITS };
  });
  return (await seedInvoices({ dbFile, secrets, log, chain: 'anvil' }, invoices)) as OpenInvoice[];
}

/** Signs one block's worth of transactions (not timed) and puts them into anvil's mempool. */
async function fillMempool(anvil: Anvil, token: Hex, nonces: number[], payees: OpenInvoice[]): Promise<void> {
  const eth = payees.filter((p) => p.currency === 'ETH');
  const usdt = payees.filter((p) => p.currency === 'USDT');
  const perWallet: Hex[][] = Array.from({ length: WALLETS }, () => []);
  for (let i = 0; i < TXS_PER_BLOCK; i++) {
    const w = i % WALLETS;
    const isToken = i < TOKEN_TXS;
    const payee = isToken ? usdt[i] : eth[i - TOKEN_TXS];
    const base = { chainId: 31337, type: 'eip1559', nonce: nonces[w]!++, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n } as const;
    const tx = isToken
      ? { ...base, to: token, gas: 80_000n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [payee?.address ?? randomAddress(), payee ? USDT_INVOICE_UNITS : 1_000n] }) }
      : { ...base, to: payee?.address ?? randomAddress(), gas: 21_000n, value: payee ? ETH_INVOICE_WEI : 1_000_000_000n };
    perWallet[w]!.push(await anvil.wallet(w).account.signTransaction(tx));
  }
  // One sender's transactions in nonce order; the senders in parallel.
  await Promise.all(perWallet.map(async (raws) => {
    for (const serializedTransaction of raws) await anvil.public.sendRawTransaction({ serializedTransaction });
  }));
}

interface EndToEndResult {
  openInvoices: number;
  seedMs: number;
  loadWatchedMs: number;
  blocks: number;
  blockPoll: PollSummary;
  mempoolPoll: PollSummary;
  watchedRefreshesInTimedPolls: number;
}

async function benchEndToEnd(anvil: Anvil, token: Hex, meter: PollMeter, count: number): Promise<EndToEndResult> {
  const dir = mkdtempSync(join(tmpdir(), 'payframe-bench-scan-'));
  const dbFile = join(dir, 'payframe.db');
  try {
    const seedStart = performance.now();
    const invoices = await seedOpenInvoices(dbFile, count);
    const seedMs = performance.now() - seedStart;
    // The background loop polls once at start, then sleeps: the benchmark drives poll() itself.
    const config = anvilChainConfig(anvil.rpcUrl, token, { pollIntervalMs: 3_600_000 });
    const runtime = await createRuntime({ dbFile, secrets, clock: { now: Date.now }, log, publicUrl: 'http://bench.test', sandbox: false, chainConfigs: [config] });
    const startedAt = Date.now();
    try {
      const chain = runtime.chains[0];
      if (!(chain instanceof EvmChain)) throw new Error('runtime.chains[0] is not the EVM chain');
      const head = Number(await anvil.public.getBlockNumber());
      while ((await runtime.engine.chainHeight('anvil')) < head) await new Promise((r) => setTimeout(r, 20));
      const loads: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const watched = await runtime.engine.sink.watchedAddresses('anvil');
        loads.push(performance.now() - t0);
        if (watched.length !== count) throw new Error(`watching ${watched.length} addresses, expected ${count}`);
      }
      meter.wrapSink(runtime);

      const nonces = await Promise.all(Array.from({ length: WALLETS }, (_, w) => anvil.public.getTransactionCount({ address: anvil.wallet(w).account.address, blockTag: 'pending' })));
      const unpaid = { ETH: invoices.filter((i) => i.currency === 'ETH'), USDT: invoices.filter((i) => i.currency === 'USDT') };
      const blockPolls: PollTiming[] = [];
      const mempoolPolls: PollTiming[] = [];
      for (let b = 0; b <= BLOCKS; b++) {
        const payees = [...unpaid.ETH.splice(0, PAYMENTS_PER_KIND), ...unpaid.USDT.splice(0, PAYMENTS_PER_KIND)];
        await fillMempool(anvil, token, nonces, payees);
        const mempool = await meter.time(() => chain.poll());
        await expectStates(runtime, payees, 'MEM_POOL_FOUND');
        await anvil.mine();
        const mined = await anvil.public.getBlock({ blockTag: 'latest' });
        if (mined.transactions.length !== TXS_PER_BLOCK) throw new Error(`block ${mined.number} has ${mined.transactions.length} transactions, expected ${TXS_PER_BLOCK}`);
        const scanned = await meter.time(() => chain.poll());
        await expectStates(runtime, payees, 'PAID');
        // Block 0 warms up the JIT and SQLite's page cache.
        if (b > 0) {
          mempoolPolls.push(mempool);
          blockPolls.push(scanned);
        }
      }
      if (Date.now() - startedAt > WATCH_REFRESH_MS) console.log(`  (N=${count}: the run took over a minute, so one poll may include reloading the watched set; see watchedRefreshesInTimedPolls)`);
      return {
        openInvoices: count,
        seedMs: round(seedMs),
        loadWatchedMs: percentile(loads, 50),
        blocks: BLOCKS,
        blockPoll: summarize(blockPolls),
        mempoolPoll: summarize(mempoolPolls),
        watchedRefreshesInTimedPolls: [...blockPolls, ...mempoolPolls].reduce((n, p) => n + p.watchedRefreshes, 0),
      };
    } finally {
      await runtime.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function expectStates(runtime: Runtime, payees: OpenInvoice[], state: string): Promise<void> {
  const rows = await runtime.db.selectFrom('invoices').select(['id', 'state']).where('id', 'in', payees.map((p) => p.id)).execute();
  const wrong = rows.filter((r) => r.state !== state);
  if (rows.length !== payees.length || wrong.length > 0) throw new Error(`expected the ${payees.length} paid invoices in ${state}; got ${JSON.stringify(wrong.map((r) => r.state))}`);
}

type PollSummary = ReturnType<typeof summarize>;

function summarize(polls: PollTiming[]) {
  const calls = polls[0]?.rpcCalls ?? {};
  const byMethod = Object.fromEntries(Object.keys(calls).map((m) => [m, percentile(polls.map((p) => p.rpcMsByMethod[m] ?? 0), 50)]));
  return {
    medianMs: percentile(polls.map((p) => p.totalMs), 50),
    maxMs: round(Math.max(...polls.map((p) => p.totalMs))),
    rpcMedianMs: percentile(polls.map((p) => p.rpcMs), 50),
    engineMedianMs: percentile(polls.map((p) => p.engineMs), 50),
    otherMedianMs: percentile(polls.map((p) => p.totalMs - p.rpcMs - p.engineMs), 50),
    rpcCalls: calls,
    rpcMedianMsByMethod: byMethod,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  console.log(`Payframe block-scanning benchmark: ${TXS_PER_BLOCK} transactions per block; ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`);

  console.log(`\n1. Matching only: nativeTransfers + tokenTransfers, ${TXS_PER_BLOCK} txs + 500 token logs, 10 to watched addresses (${ITERATIONS} iterations after ${WARMUP_ITERATIONS} warm-up)`);
  const matching = benchMatching();
  console.log(`  ${'watched addresses'.padEnd(18)} ${'median µs'.padStart(10)} ${'p95 µs'.padStart(10)}`);
  for (const m of matching) console.log(`  ${m.watched.toLocaleString('en').padEnd(18)} ${String(m.medianUs).padStart(10)} ${String(m.p95Us).padStart(10)}`);

  console.log(`\n2. End to end against anvil: ${BLOCKS} blocks (+1 warm-up) of ${TXS_PER_BLOCK} txs (${TXS_PER_BLOCK - TOKEN_TXS} ETH, ${TOKEN_TXS} token transfers; ${2 * PAYMENTS_PER_KIND} pay invoices)`);
  const anvil = await startAnvil();
  const endToEnd: EndToEndResult[] = [];
  try {
    const token = await anvil.deployToken();
    for (let w = 0; w < WALLETS; w++) {
      await anvil.wallet(0).writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'mint', args: [anvil.wallet(w).account.address, 10n ** 15n], account: anvil.wallet(0).account, chain: undefined });
    }
    await anvil.mine();
    const meter = new PollMeter();
    for (const count of INVOICE_COUNTS) {
      console.log(`  N=${count.toLocaleString('en')}: seeding invoices, then ${BLOCKS + 1} blocks…`);
      endToEnd.push(await benchEndToEnd(anvil, token, meter, count));
    }
  } finally {
    await anvil.stop();
  }
  const line = (p: EndToEndResult['blockPoll']) =>
    `${String(p.medianMs).padStart(7)} ms (max ${p.maxMs}; RPC ${p.rpcMedianMs}, engine ${p.engineMedianMs}, other ${p.otherMedianMs})`;
  console.log(`\n  ${'open invoices'.padEnd(14)} ${'poll() that scans the mined block'.padEnd(56)} poll() with 500 txs in the mempool`);
  for (const r of endToEnd) console.log(`  ${r.openInvoices.toLocaleString('en').padEnd(14)} ${line(r.blockPoll).padEnd(56)} ${line(r.mempoolPoll)}`);
  for (const r of endToEnd) console.log(`  N=${r.openInvoices.toLocaleString('en')}: loading the watched set ${r.loadWatchedMs} ms (at start, then once a minute); seeding ${r.seedMs} ms`);
  for (const r of endToEnd) {
    console.log(`  N=${r.openInvoices.toLocaleString('en')}: RPC median ms by method, block poll ${JSON.stringify(r.blockPoll.rpcMedianMsByMethod)}; mempool poll ${JSON.stringify(r.mempoolPoll.rpcMedianMsByMethod)}`);
  }
  console.log(`  RPC calls of a block poll: ${JSON.stringify(endToEnd[0]?.blockPoll.rpcCalls)}; of a mempool poll: ${JSON.stringify(endToEnd[0]?.mempoolPoll.rpcCalls)}`);
  console.log(
    JSON.stringify({
      bench: 'payframe-scan',
      at: new Date().toISOString(),
      machine,
      settings: { iterations: ITERATIONS, warmupIterations: WARMUP_ITERATIONS, blocks: BLOCKS, txsPerBlock: TXS_PER_BLOCK, tokenTxsPerBlock: TOKEN_TXS, paymentsPerBlock: 2 * PAYMENTS_PER_KIND },
      matching,
      endToEnd,
    }),
  );
}

function envList(name: string, fallback: number[], min: number): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const list = raw.split(',').map(Number);
  if (!list.every((n) => Number.isInteger(n) && n >= min)) throw new Error(`${name} must be a comma-separated list of invoice counts of at least ${min}, got "${raw}"`);
  return list;
}

main().catch((err: unknown) => {
  console.error(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
