/**
 * API benchmark: starts the real server (as `npm start` does) and measures
 *   1. invoice creation throughput (signed POST /api/v1/invoice/single/create),
 *   2. GET /api/checkout/:id throughput, fresh (200) and revalidated (304),
 *   3. SSE latency: from the POST that mines the paying block to the PAID
 *      event arriving on an open /api/checkout/:id/events stream.
 * It reports numbers and fails only when the server answers wrongly.
 *
 *   npm run bench
 *   BENCH_DURATION=5 BENCH_CONNECTIONS=20 BENCH_SSE_INVOICES=50 npm run bench
 *
 * See docs/benchmarks.md.
 */
import autocannon from 'autocannon';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchClient, BENCH_INVOICE, postJson, signedCreate } from './lib/merchant-api';
import { startServer, type BenchServer, type MerchantCredentials } from './lib/server';
import { readSse, type SseEvent } from './lib/sse';
import { envInt, percentile, round } from './lib/stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION_S = envInt('BENCH_DURATION', 10);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 10);
const SSE_INVOICES = envInt('BENCH_SSE_INVOICES', 100);
/** Lets tsx-compiled code get JIT-compiled before the measured run. */
const WARMUP_S = 2;
const SSE_STEP_TIMEOUT_MS = 10_000;

interface LoadResult {
  /** Every response had this status, or the run failed. */
  expectedStatus: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** As autocannon counts them: the 304 run's responses all count. */
  non2xx: number;
  statusCodes: Record<string, number>;
}

interface SseLatency {
  invoices: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The same percentiles for the mine request's own round trip, for comparison. */
  mineResponseP50Ms: number;
}

/**
 * One autocannon run (after a warm-up). Any status but `expectedStatus`, or
 * any connection error, fails the benchmark: numbers from a server that
 * answers wrongly measure the wrong thing.
 */
async function load(title: string, options: Omit<autocannon.Options, 'connections' | 'duration'>, expectedStatus: number): Promise<LoadResult> {
  let unexpected: string | undefined;
  const requests = (options.requests ?? [{}]).map((r) => ({
    ...r,
    onResponse(status: number, body: string) {
      if (status !== expectedStatus) unexpected ??= `${status} ${body.slice(0, 300)}`;
    },
  }));
  const result = await autocannon({ ...options, title, requests, connections: CONNECTIONS, duration: DURATION_S, warmup: { connections: CONNECTIONS, duration: WARMUP_S } });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const wrong = result.latency.totalCount - (statusCodes[expectedStatus] ?? 0);
  if (unexpected || wrong > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${title}: expected every response to be ${expectedStatus}; the measured run got status counts ${JSON.stringify(statusCodes)}, ` +
        `${result.errors} connection errors, ${result.timeouts} timeouts. First unexpected response (warm-up included): ${unexpected ?? 'none'}`,
    );
  }
  return {
    expectedStatus,
    requests: result.latency.totalCount,
    rps: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    statusCodes,
  };
}

function benchInvoiceCreation(server: BenchServer, creds: MerchantCredentials, title = 'POST /api/v1/invoice/single/create'): Promise<LoadResult> {
  const client = benchClient(server.baseUrl, creds);
  return load(
    title,
    {
      url: `${server.baseUrl}/api/v1/invoice/single/create`,
      method: 'POST',
      requests: [
        {
          // A fresh timestamp and signature per request, as a real merchant backend sends.
          setupRequest(req) {
            const { body, headers } = signedCreate(client);
            return { ...req, method: 'POST', body, headers: { ...req.headers, ...headers } };
          },
        },
      ],
    },
    200,
  );
}

const clients = new WeakMap<MerchantCredentials, ReturnType<typeof benchClient>>();
/** One client per merchant: its timestamps only go up, so two creates are never the same bytes (a replay). */
function createInvoice(baseUrl: string, creds: MerchantCredentials) {
  let client = clients.get(creds);
  if (!client) clients.set(creds, (client = benchClient(baseUrl, creds)));
  return client.createInvoice(BENCH_INVOICE);
}

/**
 * What refusing replayed requests costs invoice creation: the same load on a
 * second server with REPLAY_PROTECTION=off, interleaved in two rounds so a
 * drift of the machine's load falls on both.
 */
async function benchReplayCost(on: BenchServer, onCreds: MerchantCredentials): Promise<{ on: number[]; off: number[] }> {
  const off = await startServer(ROOT, { REPLAY_PROTECTION: 'off' });
  try {
    const offCreds = await off.createMerchant('Bench');
    const result = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round < 2; round++) {
      result.on.push((await benchInvoiceCreation(on, onCreds, 'create, replay protection on')).rps);
      result.off.push((await benchInvoiceCreation(off, offCreds, 'create, replay protection off')).rps);
    }
    return result;
  } finally {
    await off.stop();
  }
}

async function benchCheckoutGet(server: BenchServer, creds: MerchantCredentials) {
  const invoice = await createInvoice(server.baseUrl, creds);
  const url = `${server.baseUrl}/api/checkout/${invoice.id}`;
  const first = await fetch(url);
  const { version } = (await first.json()) as { version: number };
  const etag = first.headers.get('etag');
  if (etag !== `"${version}"`) throw new Error(`GET /api/checkout/:id: ETag ${etag} does not match the view's version ${version}`);
  const fresh = await load('GET /api/checkout/:id', { url, method: 'GET' }, 200);
  const revalidated = await load('GET /api/checkout/:id (If-None-Match)', { url, method: 'GET', headers: { 'if-none-match': etag } }, 304);
  return { fresh, revalidated };
}

/** Reads events until one carries `state`; an invoice that goes anywhere else is a failure. */
async function untilState(events: AsyncGenerator<SseEvent>, state: string): Promise<SseEvent> {
  for (;;) {
    const next = await events.next();
    if (next.done) throw new Error(`the SSE stream ended before the invoice reached ${state}`);
    const seen = (JSON.parse(next.value.data) as { state: string }).state;
    if (seen === state) return next.value;
    if (['PENDING_INTERVENTION', 'ARCHIVED', 'COMPLETED'].includes(seen)) throw new Error(`SSE: the invoice reached ${seen} while the benchmark waited for ${state}`);
  }
}

async function sseSample(server: BenchServer, creds: MerchantCredentials): Promise<{ sseMs: number; mineMs: number }> {
  const invoice = await createInvoice(server.baseUrl, creds);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`SSE: no PAID event within ${SSE_STEP_TIMEOUT_MS} ms for ${invoice.id}`)), SSE_STEP_TIMEOUT_MS);
  try {
    const res = await fetch(`${server.baseUrl}/api/checkout/${invoice.id}/events`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
    if (res.status !== 200 || !res.body) throw new Error(`GET /api/checkout/:id/events answered ${res.status}`);
    const events = readSse(res.body);
    try {
      await untilState(events, 'PENDING_PAYMENT');
      await postJson(server.baseUrl, '/api/sandbox/payments', { address: invoice.invoiceAddress, currency: 'ETH', amount: '0.001' });
      await untilState(events, 'MEM_POOL_FOUND');
      // Listen first, so the PAID frame is stamped the moment it is read.
      const paid = untilState(events, 'PAID');
      paid.catch(() => undefined);
      const t0 = performance.now();
      await postJson(server.baseUrl, '/api/sandbox/mine', { blocks: 1 });
      const mineMs = performance.now() - t0;
      const event = await paid;
      return { sseMs: event.receivedAt - t0, mineMs };
    } finally {
      await events.return(undefined);
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** Sequential, so each sample measures one status change on an otherwise idle server. */
async function benchSseLatency(server: BenchServer, creds: MerchantCredentials): Promise<SseLatency> {
  const sse: number[] = [];
  const mine: number[] = [];
  for (let i = 0; i < SSE_INVOICES; i++) {
    const sample = await sseSample(server, creds);
    sse.push(sample.sseMs);
    mine.push(sample.mineMs);
  }
  return { invoices: sse.length, p50Ms: percentile(sse, 50), p95Ms: percentile(sse, 95), maxMs: round(Math.max(...sse)), mineResponseP50Ms: percentile(mine, 50) };
}

/** Lines the server logged as errors or warnings: worth a look even when every status was right. */
function serverComplaints(output: string): string[] {
  return output.split('\n').filter((line) => /error|warn|unhandled/i.test(line));
}

function loadLine(name: string, r: LoadResult): string {
  return `  ${name.padEnd(38)} ${String(r.rps).padStart(9)} req/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   (${r.requests} requests, statuses ${JSON.stringify(r.statusCodes)})`;
}

async function main(): Promise<void> {
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  console.log(`Payframe API benchmark: ${DURATION_S} s runs (+${WARMUP_S} s warm-up), ${CONNECTIONS} connections, ${SSE_INVOICES} SSE samples`);
  console.log(`Machine: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`);
  const server = await startServer(ROOT);
  const stopOnSignal = () => void server.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    console.log(`Server: ${server.baseUrl}, data in ${server.dataDir}, sandbox auto-mine off`);
    const creds = await server.createMerchant('Bench');

    console.log('Running invoice creation…');
    const create = await benchInvoiceCreation(server, creds);
    console.log('Running invoice creation with replay protection on and off, interleaved…');
    const replay = await benchReplayCost(server, creds);
    console.log('Running checkout GET (200 and 304)…');
    const checkout = await benchCheckoutGet(server, creds);
    console.log(`Running SSE latency over ${SSE_INVOICES} invoices…`);
    const sse = await benchSseLatency(server, creds);

    console.log('\nResults');
    console.log(loadLine('POST /api/v1/invoice/single/create', create));
    const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length);
    console.log(`  create, replay protection on / off       ${mean(replay.on)} / ${mean(replay.off)} req/s (rounds: on ${replay.on.join(', ')}; off ${replay.off.join(', ')})`);
    console.log(loadLine('GET /api/checkout/:id', checkout.fresh));
    console.log(loadLine('GET /api/checkout/:id → 304', checkout.revalidated));
    console.log(`  SSE mine → PAID event (${sse.invoices} invoices)     p50 ${sse.p50Ms} ms   p95 ${sse.p95Ms} ms   max ${sse.maxMs} ms   (mine response p50 ${sse.mineResponseP50Ms} ms)`);
    const complaints = serverComplaints(server.output());
    if (complaints.length > 0) console.log(`\nThe server logged ${complaints.length} error/warning lines, first ones:\n${complaints.slice(0, 5).join('\n')}`);
    console.log(
      JSON.stringify({
        bench: 'payframe-api',
        at: new Date().toISOString(),
        machine,
        settings: { durationS: DURATION_S, warmupS: WARMUP_S, connections: CONNECTIONS, sseInvoices: SSE_INVOICES },
        invoiceCreate: create,
        replayProtection: replay,
        checkoutGet: checkout.fresh,
        checkoutGet304: checkout.revalidated,
        sseLatency: sse,
        serverComplaints: complaints.length,
      }),
    );
  } catch (err) {
    const log = server.output();
    console.error(`\nServer output (last 40 lines):\n${log.split('\n').slice(-40).join('\n')}`);
    throw err;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
