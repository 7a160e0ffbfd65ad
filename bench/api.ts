/**
 * API benchmark: starts the real server (as `npm start` does) and a reference
 * server that does the least possible work for each path
 * (bench/reference-server.ts), and measures them side by side, in
 * interleaved rounds:
 *   1. signed invoice creation against the write floor (a JSON POST, one INSERT in a transaction),
 *   2. GET /api/checkout/:id, fresh (200) and revalidated (304), against a bare GET,
 *   3. one status change on N streams of one invoice, against a bare streamSSE broadcast to N streams,
 *   4. one block changing M invoices with one stream each, against the broadcast to M streams.
 * Then, once: invoice creation on SQLite beside 1 and 3 instances on one PostgreSQL (TEST_POSTGRES_URL's
 * server), and one change seen by N streams on another instance than the one that made it.
 * It prints each figure beside its reference and their ratio (median and
 * min–max over the rounds), and fails only when a server answers wrongly.
 *
 *   npm run bench
 *   BENCH_ROUNDS=5 BENCH_DURATION=10 BENCH_SSE_STREAMS=1000,10000 npm run bench
 *
 * See docs/benchmarks.md.
 */
import autocannon from 'autocannon';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchClient, BENCH_INVOICE, postJson, signedCreate } from './lib/merchant-api';
import { startPostgresInstances } from './lib/postgres-instances';
import { startReference, startServer, type BenchServer, type MerchantCredentials } from './lib/server';
import { openStreams } from './lib/sse-sockets';
import { envInt, mapLimit, median, percentile, round } from './lib/stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const DURATION_S = envInt('BENCH_DURATION', 5);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50);
const SSE_STREAMS = (process.env.BENCH_SSE_STREAMS || '10000').split(',').map((n) => envIntOf('BENCH_SSE_STREAMS', n));
const SSE_INVOICES = envInt('BENCH_SSE_INVOICES', 1000);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Lets tsx-compiled code get JIT-compiled before the measured run. */
const WARMUP_S = 2;
const STREAM_TIMEOUT_MS = 120_000;

type Reference = Awaited<ReturnType<typeof startReference>>;

function envIntOf(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be positive integers separated by commas, got "${raw}"`);
  return n;
}

interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * One autocannon run (after a warm-up). Any status but `expectedStatus`, or
 * any connection error, fails the benchmark: numbers from a server that
 * answers wrongly measure the wrong thing.
 */
async function load(title: string, options: Omit<autocannon.Options, 'connections' | 'duration'>, expectedStatus: number, connections = CONNECTIONS): Promise<LoadResult> {
  let unexpected: string | undefined;
  const requests = (options.requests ?? [{}]).map((r) => ({
    ...r,
    onResponse(status: number, body: string) {
      if (status !== expectedStatus) unexpected ??= `${status} ${body.slice(0, 300)}`;
    },
  }));
  const result = await autocannon({ ...options, title, requests, connections, duration: DURATION_S, warmup: { connections, duration: WARMUP_S } });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const wrong = result.latency.totalCount - (statusCodes[expectedStatus] ?? 0);
  if (unexpected || wrong > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${title}: expected every response to be ${expectedStatus}; the measured run got status counts ${JSON.stringify(statusCodes)}, ` +
        `${result.errors} connection errors, ${result.timeouts} timeouts. First unexpected response (warm-up included): ${unexpected ?? 'none'}`,
    );
  }
  return { rps: round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/**
 * Signed creation: each request built afresh (timestamp, signature), as a merchant backend sends it; on several
 * `servers` at once (instances behind a load balancer), the connections split between them and their req/s summed.
 * One client signs for all, so its timestamps only go up and no request is another's replay.
 */
async function benchCreate(servers: BenchServer[], creds: MerchantCredentials): Promise<LoadResult> {
  const client = benchClient(servers[0]!.baseUrl, creds);
  const setupRequest = (req: autocannon.RequestParams) => {
    const { body, headers } = signedCreate(client);
    return { ...req, method: 'POST', body, headers: { ...req.headers, ...headers } };
  };
  const each = Math.max(1, Math.round(CONNECTIONS / servers.length));
  const results = await Promise.all(
    servers.map((server) => load(`POST /api/v1/invoice/single/create on ${server.baseUrl}`, { url: `${server.baseUrl}/api/v1/invoice/single/create`, method: 'POST', requests: [{ setupRequest }] }, 200, each)),
  );
  return { rps: round(results.reduce((sum, r) => sum + r.rps, 0)), p50Ms: Math.max(...results.map((r) => r.p50Ms)), p99Ms: Math.max(...results.map((r) => r.p99Ms)) };
}

/**
 * N streams of one invoice open on `watched`; the payment is made, and the block that takes it from MEM_POOL_FOUND
 * to PAID mined, on `changed` (the sandbox chain's leader). The same server for both is the single-instance figure;
 * with two instances the change reaches the streams through LISTEN/NOTIFY.
 */
async function benchOneInvoice(changed: BenchServer, watched: BenchServer, creds: MerchantCredentials, count: number): Promise<SseResult> {
  const invoice = await benchClient(changed.baseUrl, creds).createInvoice(BENCH_INVOICE);
  const paths = Array.from({ length: count }, () => `/api/checkout/${invoice.id}/events`);
  const result = await withStreams(watched, paths, 'PENDING_PAYMENT', async (streams) => {
    await fanOut(streams, 'MEM_POOL_FOUND', () => pay(changed, invoice.invoiceAddress));
    return fanOut(streams, '"PAID"', () => postJson(changed.baseUrl, '/api/sandbox/mine', { blocks: 1 }));
  });
  await settle(changed);
  return result;
}

/** Once, after the rounds: SQLite beside PostgreSQL with 1 and 3 instances, and the fan-out across instances. */
async function benchScaleOut(sqlite: BenchServer, sqliteCreds: MerchantCredentials) {
  console.log('Scale-out: 3 instances on one PostgreSQL…');
  const cluster = await startPostgresInstances(ROOT, 3);
  try {
    const streams = SSE_STREAMS[0]!;
    const [other] = cluster.followers as [BenchServer];
    const figures = {
      createSqlite1: (await benchCreate([sqlite], sqliteCreds)).rps,
      createPostgres1: (await benchCreate([cluster.leader], cluster.creds)).rps,
      createPostgres3: (await benchCreate(cluster.instances, cluster.creds)).rps,
      streams,
      sameInstanceP99Ms: (await benchOneInvoice(cluster.leader, cluster.leader, cluster.creds, streams)).p99Ms,
      crossInstanceP99Ms: (await benchOneInvoice(cluster.leader, other, cluster.creds, streams)).p99Ms,
    };
    console.log('\nScale-out (one run each, not rounds):');
    console.log(`  create, 1 instance on SQLite            ${figures.createSqlite1} req/s`);
    console.log(`  create, 1 instance on PostgreSQL        ${figures.createPostgres1} req/s`);
    console.log(`  create, 3 instances on PostgreSQL       ${figures.createPostgres3} req/s (${CONNECTIONS} connections split over them)`);
    console.log(`  ${streams} streams, change on the same instance → all, p99     ${figures.sameInstanceP99Ms} ms`);
    console.log(`  ${streams} streams, change on another instance → all, p99     ${figures.crossInstanceP99Ms} ms (+${round(figures.crossInstanceP99Ms - figures.sameInstanceP99Ms)} ms)`);
    return figures;
  } finally {
    await cluster.stop();
  }
}

/** The write floor, sent a body of the same size as a signed creation. */
function benchWriteFloor(ref: Reference, body: string): Promise<LoadResult> {
  return load('reference: POST /write', { url: `${ref.baseUrl}/write`, method: 'POST', body, headers: { 'content-type': 'application/json' } }, 200);
}

/** The latencies of one event reaching every stream, from just before the request that causes it. */
async function fanOut(streams: Awaited<ReturnType<typeof openStreams>>, marker: string, cause: () => Promise<unknown>): Promise<{ p99Ms: number; maxMs: number; causeMs: number }> {
  const arrivals = streams.map((s) => s.next(marker, STREAM_TIMEOUT_MS));
  const t0 = performance.now();
  await cause();
  const causeMs = performance.now() - t0;
  const latencies = (await Promise.all(arrivals)).map((t) => t - t0);
  return { p99Ms: percentile(latencies, 99), maxMs: round(Math.max(...latencies)), causeMs: round(causeMs) };
}

interface SseResult {
  p99Ms: number;
  maxMs: number;
  /** The round trip of the request that caused the change (mine, broadcast). */
  causeMs: number;
  rssPerStreamKiB: number;
}

async function withStreams(server: { baseUrl: string; rssBytes(): number }, paths: string[], firstMarker: string, run: (streams: Awaited<ReturnType<typeof openStreams>>) => Promise<Omit<SseResult, 'rssPerStreamKiB'>>): Promise<SseResult> {
  const before = server.rssBytes();
  const streams = await openStreams(server.baseUrl, paths, firstMarker, STREAM_TIMEOUT_MS);
  const rssPerStreamKiB = round((server.rssBytes() - before) / paths.length / 1024);
  try {
    return { ...(await run(streams)), rssPerStreamKiB };
  } finally {
    for (const s of streams) s.close();
  }
}

function benchBroadcast(ref: Reference, count: number): Promise<SseResult> {
  return withStreams(ref, Array.from({ length: count }, () => '/events'), 'ready', (streams) => fanOut(streams, 'PAID', () => postJson(ref.baseUrl, '/broadcast', {})));
}

/** Takes every invoice paid so far to COMPLETED, so that later blocks change only what the next measurement made. */
async function settle(server: BenchServer): Promise<void> {
  await postJson(server.baseUrl, '/api/sandbox/mine', { blocks: 3 });
}

async function pay(server: BenchServer, address: string): Promise<void> {
  await postJson(server.baseUrl, '/api/sandbox/payments', { address, currency: 'ETH', amount: BENCH_INVOICE.amount.toString() });
}

/** M invoices with one stream each, all in the mempool; one block takes every one to PAID. */
async function benchOneBlock(server: BenchServer, creds: MerchantCredentials, count: number): Promise<SseResult> {
  const client = invoiceClient(server, creds);
  const invoices = await mapLimit(Array.from({ length: count }), 8, () => client.createInvoice(BENCH_INVOICE));
  const result = await withStreams(
    server,
    invoices.map((i) => `/api/checkout/${i.id}/events`),
    'PENDING_PAYMENT',
    async (streams) => {
      const inMempool = Promise.all(streams.map((s) => s.next('MEM_POOL_FOUND', STREAM_TIMEOUT_MS)));
      await mapLimit(invoices, 8, (i) => pay(server, i.invoiceAddress));
      await inMempool;
      return fanOut(streams, '"PAID"', () => postJson(server.baseUrl, '/api/sandbox/mine', { blocks: 1 }));
    },
  );
  await settle(server);
  return result;
}

const clients = new WeakMap<MerchantCredentials, ReturnType<typeof benchClient>>();
/** One client per merchant: its timestamps only go up, so two creates are never the same bytes (a replay). */
function invoiceClient(server: BenchServer, creds: MerchantCredentials) {
  let client = clients.get(creds);
  if (!client) clients.set(creds, (client = benchClient(server.baseUrl, creds)));
  return client;
}

/** Per round: Payframe's figure, the reference's, and which way is better. */
interface Pair {
  name: string;
  reference: string;
  unit: string;
  /** req/s: higher is better, the ratio is Payframe / reference; ms: the ratio is Payframe / reference too, lower is better. */
  payframe: number[];
  ref: number[];
}

function summarize(pairs: Pair[]) {
  return pairs.map((p) => {
    const ratios = p.payframe.map((v, i) => v / p.ref[i]!);
    const spread = (xs: number[]) => ({ median: median(xs), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
    return { name: p.name, reference: p.reference, unit: p.unit, payframe: spread(p.payframe), ref: spread(p.ref), ratio: { median: Math.round(median(ratios.map((r) => r * 1000))) / 1000, min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) }, rounds: { payframe: p.payframe, ref: p.ref } };
  });
}

async function main(): Promise<void> {
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  console.log(`Payframe API benchmark: ${ROUNDS} interleaved rounds; ${DURATION_S} s load runs (+${WARMUP_S} s warm-up), ${CONNECTIONS} connections; SSE ${SSE_STREAMS.join(', ')} streams on one invoice, ${SSE_INVOICES} invoices in one block`);
  console.log(`Machine: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`);
  if (CPU_PROFILE_DIR) mkdirSync(CPU_PROFILE_DIR, { recursive: true });
  const server = await startServer(ROOT, {}, CPU_PROFILE_DIR);
  let ref: Reference | undefined;
  let unguarded: BenchServer | undefined;
  const stopAll = () => Promise.all([server.stop(), ref?.stop(), unguarded?.stop()]);
  const stopOnSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    ref = await startReference(ROOT);
    // The same Payframe without its replay guard, to price the guard (issue 9) in the same run.
    unguarded = await startServer(ROOT, { REPLAY_PROTECTION: 'off' });
    const unguardedServer = unguarded;
    const unguardedCreds = await unguarded.createMerchant('Bench');
    console.log(`Payframe: ${server.baseUrl} (data in ${server.dataDir}, sandbox auto-mine off); reference: ${ref.baseUrl}`);
    const reference = ref;
    const creds = await server.createMerchant('Bench');
    const floorBody = signedCreate(benchClient(server.baseUrl, creds)).body;
    const checkoutInvoice = await invoiceClient(server, creds).createInvoice(BENCH_INVOICE);
    const checkoutUrl = `${server.baseUrl}/api/checkout/${checkoutInvoice.id}`;
    const etag = (await fetch(checkoutUrl)).headers.get('etag') ?? '';

    const pair = (name: string, referenceName: string, unit: string): Pair => ({ name, reference: referenceName, unit, payframe: [], ref: [] });
    const create = pair('POST /api/v1/invoice/single/create', 'POST /write (one INSERT in a transaction)', 'req/s');
    const createP99 = pair('create p99', 'write floor p99', 'ms');
    const replayCost = pair('create, replay protection on', 'create, replay protection off', 'req/s');
    const get = pair('GET /api/checkout/:id', 'bare GET', 'req/s');
    const get304 = pair('GET /api/checkout/:id → 304', 'bare GET', 'req/s');
    const get304vs200 = pair('304 path', '200 path', 'req/s');
    // Memory only in the first round: later rounds open their streams in heap the earlier ones freed, and would show (almost) nothing.
    const oneInvoice = SSE_STREAMS.map((n) => ({ n, p99: pair(`${n} streams, one invoice: change → all, p99`, `bare broadcast to ${n}, p99`, 'ms'), rss: pair(`RSS per stream (${n}), first round`, 'bare streamSSE', 'KiB') }));
    const block = pair(`${SSE_INVOICES} invoices in one block → all, p99`, `bare broadcast to ${SSE_INVOICES}, p99`, 'ms');
    const mine = pair(`mine request (${SSE_INVOICES} invoices)`, `broadcast request (${SSE_INVOICES})`, 'ms');

    for (let r = 0; r < ROUNDS; r++) {
      console.log(`Round ${r + 1}/${ROUNDS}…`);
      // Alternating who goes first, so a drift of the machine's load falls on both alike.
      const both = async (payframe: () => Promise<void>, referenceRun: () => Promise<void>) => {
        if (r % 2 === 0) {
          await referenceRun();
          await payframe();
        } else {
          await payframe();
          await referenceRun();
        }
      };
      await both(
        async () => {
          const c = await benchCreate([server], creds);
          create.payframe.push(c.rps);
          createP99.payframe.push(c.p99Ms);
        },
        async () => {
          const w = await benchWriteFloor(reference, floorBody);
          create.ref.push(w.rps);
          createP99.ref.push(w.p99Ms);
        },
      );
      await both(
        async () => void replayCost.payframe.push((await benchCreate([server], creds)).rps),
        async () => void replayCost.ref.push((await benchCreate([unguardedServer], unguardedCreds)).rps),
      );
      await both(
        async () => {
          const fresh = await load('GET /api/checkout/:id', { url: checkoutUrl }, 200);
          const revalidated = await load('GET /api/checkout/:id (If-None-Match)', { url: checkoutUrl, headers: { 'if-none-match': etag } }, 304);
          get.payframe.push(fresh.rps);
          get304.payframe.push(revalidated.rps);
          get304vs200.payframe.push(revalidated.rps);
          get304vs200.ref.push(fresh.rps);
        },
        async () => {
          const bare = await load('reference: GET /get', { url: `${reference.baseUrl}/get` }, 200);
          get.ref.push(bare.rps);
          get304.ref.push(bare.rps);
        },
      );
      for (const { n, p99, rss } of oneInvoice) {
        await both(
          async () => {
            const s = await benchOneInvoice(server, server, creds, n);
            p99.payframe.push(s.p99Ms);
            if (r === 0) rss.payframe.push(s.rssPerStreamKiB);
          },
          async () => {
            const s = await benchBroadcast(reference, n);
            p99.ref.push(s.p99Ms);
            if (r === 0) rss.ref.push(s.rssPerStreamKiB);
          },
        );
      }
      await both(
        async () => {
          const s = await benchOneBlock(server, creds, SSE_INVOICES);
          block.payframe.push(s.p99Ms);
          mine.payframe.push(s.causeMs);
        },
        async () => {
          const s = await benchBroadcast(reference, SSE_INVOICES);
          block.ref.push(s.p99Ms);
          mine.ref.push(s.causeMs);
        },
      );
    }

    const scaleOut = await benchScaleOut(server, creds);
    const results = summarize([create, createP99, replayCost, get, get304, get304vs200, ...oneInvoice.flatMap((o) => [o.p99, o.rss]), block, mine]);
    console.log('\nResults: Payframe | reference | ratio — median (min–max) over the rounds; the ratio per round, Payframe / reference');
    for (const x of results) {
      const fmt = (s: { median: number; min: number; max: number }) => `${s.median} (${s.min}–${s.max})`;
      console.log(`  ${x.name.padEnd(52)} ${fmt(x.payframe).padStart(24)} ${x.unit.padEnd(5)} | ${x.reference.padEnd(42)} ${fmt(x.ref).padStart(24)} | ×${x.ratio.median} (${x.ratio.min}–${x.ratio.max})`);
    }
    const complaints = server.output().split('\n').filter((line) => /error|warn|unhandled/i.test(line));
    if (complaints.length > 0) console.log(`\nThe server logged ${complaints.length} error/warning lines, first ones:\n${complaints.slice(0, 5).join('\n')}`);
    if (CPU_PROFILE_DIR) console.log(`\nPayframe's CPU profile is written to ${CPU_PROFILE_DIR} as the server stops.`);
    console.log(
      JSON.stringify({
        bench: 'payframe-api',
        at: new Date().toISOString(),
        machine,
        settings: { rounds: ROUNDS, durationS: DURATION_S, warmupS: WARMUP_S, connections: CONNECTIONS, sseStreams: SSE_STREAMS, sseInvoices: SSE_INVOICES },
        results,
        scaleOut,
        serverComplaints: complaints.length,
      }),
    );
  } catch (err) {
    console.error(`\nServer output (last 40 lines):\n${server.output().split('\n').slice(-40).join('\n')}`);
    throw err;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
