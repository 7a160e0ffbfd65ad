/** The entry point: reads the environment and the master key, opens the port and the data directory. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChainsFile } from './chains/chains-file';
import { systemClock } from './clock';
import { parseConfig, publicUrlOn } from './config';
import { listenFirst } from './http/listen';
import { createRuntime, type Runtime } from './runtime';
import { loadMasterKeys } from './secrets/master-key';

const config = parseConfig(process.env);
const log = console;

// The port first: a taken one is refused before anything else starts, and with PORT=0 (tests, benchmarks) the
// port the system picked is known before the public URL is derived from it. Until the runtime is built: 503.
let runtime: Runtime | undefined;
const { server, address, port } = await listenFirst({
  host: config.host,
  port: config.port,
  name: 'Payframe',
  portVariable: 'PORT',
  app: () => runtime?.app.fetch,
});
const publicUrl = publicUrlOn(config.publicUrl, port);

mkdirSync(config.dataDir, { recursive: true });
const masterKeys = loadMasterKeys(config);
runtime = await createRuntime({
  dbFile: join(config.dataDir, 'payframe.db'),
  databaseUrl: config.databaseUrl,
  secrets: masterKeys.secrets,
  previousSecrets: masterKeys.previous,
  clock: systemClock,
  log,
  publicUrl,
  sandbox: config.sandbox,
  sandboxFinalConfirmations: config.sandboxFinalConfirmations,
  chainConfigs: config.chainsFile ? loadChainsFile(config.chainsFile) : [],
  webhooks: { allowPrivateTargets: config.webhookAllowPrivateTargets, scheduleMs: config.webhookScheduleMs },
  limits: config.limits,
  replayProtection: config.replayProtection,
  rates: config.rates,
  quoteLockMs: config.quoteLockMs,
});
runtime.start({ sandboxAutoMineMs: config.sandboxAutoMineMs });

// Scripts and tests that start Payframe on PORT=0 read the URL and port from this line.
log.info(`Payframe API   ${publicUrl}  (listening on ${address}:${port})`);
log.info(`Data           ${config.databaseUrl ? `PostgreSQL ${postgresName(config.databaseUrl)}` : config.dataDir}`);
log.info(`Master key     ${masterKeys.from}`);
// With PostgreSQL: this instance's name in the leases table (which roles it leads) and in the logs of the others.
if (config.databaseUrl) log.info(`Instance       ${runtime.instanceId}`);
for (const chain of runtime.chains.filter((c) => c !== runtime?.sandbox)) log.info(`Chain          ${chain.id}`);
log.info(`Rates          ${config.rates.sources.join(', ')}`);
log.info(`Sandbox        ${runtime.sandbox ? `on${config.sandboxAutoMineMs ? `, mining every ${config.sandboxAutoMineMs} ms` : ''}` : 'off'}`);
if (!config.replayProtection) log.warn('Replay protection is OFF (REPLAY_PROTECTION=off): for benchmarks only');

/** host:port/database of a PostgreSQL URL: what an operator needs to see, without the password. */
function postgresName(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}

async function shutdown() {
  server.close();
  await runtime?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
