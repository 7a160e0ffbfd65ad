/**
 * Measures the hosted pay page in Chromium: the time from navigation start to
 * the QR code being painted (Element Timing of the QR image), and first
 * contentful paint, over fresh browser contexts (cold cache). Also prints the
 * gzip sizes of what the checkout loads, and what the page requested from
 * Payframe until its load event, with each answer's encoding.
 *   npx tsx scripts/measure-pay-page.ts [--runs 20]
 * Two network profiles: loopback as is, and Lighthouse's mobile profile
 * (150 ms RTT, 1.6 Mbps down, 4× slower CPU), emulated by Chromium.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { createPayframeClient } from '../demo/payframe-client';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium';
import { buildCheckout } from './lib/build';
import { createMerchant, ROOT, startPayframe } from './lib/stack';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

interface Profile {
  name: string;
  network?: { latency: number; downloadThroughput: number; uploadThroughput: number };
  cpu?: number;
}
const PROFILES: Profile[] = [
  { name: 'loopback' },
  { name: 'mobile (150 ms RTT, 1.6 Mbps, 4x CPU)', network: { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 }, cpu: 4 },
];

interface Sample {
  ttfb: number;
  fcp: number;
  qr: number;
  /** What the page asked Payframe for while loading, and how each answer was encoded: "document gzip". */
  requests: string[];
}

/**
 * Runs in the page. A string, not a function: tsx would add helper calls to a
 * function's source that do not exist in the page.
 */
const IN_PAGE = `(async () => {
  const buffered = (type, pick) => new Promise((resolve) =>
    new PerformanceObserver((list) => { const hit = list.getEntries().find(pick); if (hit) resolve(hit); }).observe({ type, buffered: true }));
  const qr = await buffered('element', (e) => e.identifier === 'qr');
  const fcp = await buffered('paint', (e) => e.name === 'first-contentful-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  return { ttfb: nav.responseStart, fcp: fcp.startTime, qr: qr.renderTime || qr.loadTime };
})()`;

async function measureOnce(browser: Browser, url: string, profile: Profile): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (profile.network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
  }
  if (profile.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  const requests: string[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).origin === new URL(url).origin) requests.push(`${r.request().resourceType()} ${r.headers()['content-encoding'] ?? 'uncompressed'}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  const result = { ...((await page.evaluate(IN_PAGE)) as Omit<Sample, 'requests'>), requests: [...requests] };
  await context.close();
  return result;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms`;
};

function sizes() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/checkout/.vite/manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
  const entry = manifest['widget/checkout/main.tsx']!;
  const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
  const files = [entry.file, ...(entry.css ?? [])].map((f) => ({ f, size: gz(join(ROOT, 'dist/checkout', f)) }));
  console.log(`loader     dist/widget.js ${gz(join(ROOT, 'dist/widget.js'))} B gzip (budget 1536)`);
  console.log(`checkout   ${files.map((x) => `${x.f} ${x.size} B`).join(' + ')} = ${files.reduce((a, x) => a + x.size, 0)} B gzip (budget 14336)`);
}

await buildCheckout();
sizes();
const dir = mkdtempSync(join(tmpdir(), 'payframe-measure-'));
const payframe = await startPayframe({ dataDir: dir, env: { SANDBOX: '1', SANDBOX_AUTOMINE_MS: '0' }, log: join(dir, 'payframe.log') });
const url = payframe.url;
const merchant = await createMerchant({ dataDir: dir, origins: [] });
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  const api = createPayframeClient({ apiUrl: url, credentials: merchant });
  const invoice = await api.createInvoice({ amount: '0.0125', currency: 'ETH', description: 'Order BT-MEASURE: Pour-over kit' });
  const payUrl = `${url}/pay/${invoice.id}`;
  console.log(`\n${payUrl}, ${runs} runs per profile, a fresh context (cold cache) each, 360x780 viewport`);
  for (const profile of PROFILES) {
    await measureOnce(browser, payUrl, profile);
    const results: Sample[] = [];
    for (let i = 0; i < runs; i++) results.push(await measureOnce(browser, payUrl, profile));
    console.log(`${profile.name}`);
    console.log(`  navigation → QR painted:  ${stats(results.map((r) => r.qr))}`);
    console.log(`  first contentful paint:   ${stats(results.map((r) => r.fcp))}`);
    console.log(`  time to first byte:       ${stats(results.map((r) => r.ttfb))}`);
    // Until the load event: the live status the script opens afterwards is not part of loading the page.
    console.log(`  requests until load:      ${[...new Set(results.map((r) => r.requests.join(', ')))].join(' | ')}`);
  }
} finally {
  await browser.close();
  await payframe.stop();
  rmSync(dir, { recursive: true, force: true });
}
