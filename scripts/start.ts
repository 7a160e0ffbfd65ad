/**
 * npm start: builds the checkout, starts Payframe with its sandbox chain and
 * the demo shop beside it on another origin, and prints their URLs.
 *   PORT (3000), DEMO_PORT (3001), DATA_DIR (./data); other variables go to Payframe (see server/config.ts).
 *   PORT=0 / DEMO_PORT=0: any free port, named in the lines printed (tests start it so).
 * The demo's merchant is created once with the CLI and remembered in DATA_DIR/demo-merchant.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPayframeClient, PayframeApiError } from '../demo/payframe-client';
import { parseConfig, type Config } from '../server/config';
import { buildCheckout } from './lib/build';
import { createMerchant, setMerchantOrigins, startDemo, startPayframe, type MerchantCredentials } from './lib/stack';

/** Payframe's own schema reads PORT, DATA_DIR and PUBLIC_URL here too, so a wrong value is named before anything starts. */
function readConfig(): Config & { demoPort: number } {
  try {
    const config = parseConfig(process.env);
    const demoPort = Number(process.env.DEMO_PORT ?? 3001);
    if (!Number.isInteger(demoPort) || demoPort < 0 || demoPort > 65535 || (demoPort !== 0 && demoPort === config.port)) {
      throw new Error('invalid configuration:\n✖ must be a port number (0-65535) other than PORT\n  → at DEMO_PORT');
    }
    return { ...config, demoPort };
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}

const { port, demoPort, dataDir: dataDirSetting, publicUrl: payframeUrl } = readConfig();
const dataDir = resolve(dataDirSetting);
/** Known before the shop starts, except on DEMO_PORT=0: then the port it binds says. */
const demoOrigin = demoPort === 0 ? undefined : `http://localhost:${demoPort}`;
const credentialsFile = join(dataDir, 'demo-merchant.json');

/** The remembered demo merchant, if it was made for this shop origin and Payframe still knows its key. */
async function rememberedMerchant(apiUrl: string): Promise<MerchantCredentials | undefined> {
  if (!existsSync(credentialsFile)) return undefined;
  const saved = JSON.parse(readFileSync(credentialsFile, 'utf8')) as MerchantCredentials & { origin: string };
  if (!demoOrigin || saved.origin !== demoOrigin) return undefined;
  try {
    await createPayframeClient({ apiUrl, credentials: saved }).getInvoice('inv_probe');
  } catch (err) {
    // 404: the key is good and the probe invoice does not exist. 401: the database was reset.
    if (!(err instanceof PayframeApiError && err.status === 404)) return undefined;
  }
  return saved;
}

/** A server that did not start has said why on this terminal (a taken port, a bad variable): end with its first line. */
function failed(err: unknown): never {
  console.error(`npm start: ${(err as Error).message.split('\n')[0]}`);
  process.exit(2);
}

console.log('Building the checkout…');
await buildCheckout();
mkdirSync(dataDir, { recursive: true });
// The demo moves the sandbox's rate by hand; a one-minute quote lock shows the re-quote that follows without a long wait.
const payframe = await startPayframe({ port, dataDir, publicUrl: payframeUrl, env: { QUOTE_LOCK_MS: process.env.QUOTE_LOCK_MS ?? '60000' }, log: 'inherit' }).catch(failed);
let merchant = await rememberedMerchant(`http://127.0.0.1:${payframe.port}`);
if (!merchant) {
  merchant = await createMerchant({ dataDir, origins: demoOrigin ? [demoOrigin] : [] });
  if (demoOrigin) writeFileSync(credentialsFile, `${JSON.stringify({ ...merchant, origin: demoOrigin }, null, 2)}\n`, { mode: 0o600 });
}
const demo = await startDemo({ port: demoPort, origin: demoOrigin, payframeUrl: payframe.url, merchant, log: 'inherit' }).catch(async (err: unknown) => {
  await payframe.stop();
  return failed(err);
});
// On DEMO_PORT=0 the shop's origin is known only now: it may frame the checkout from here on.
if (!demoOrigin) await setMerchantOrigins({ dataDir, account: merchant.account, origins: [demo.url] });

console.log(`
  Payframe    ${payframe.url}   (API, /pay/:id, /embed/:id, /widget.js)
  Demo shop   ${demo.url}   (open this one)
`);

const shutdown = async () => {
  await Promise.all([demo.stop(), payframe.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
