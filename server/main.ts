/** The entry point: reads the environment and the master key, opens the data directory and the port. */
import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChainsFile } from './chains/chains-file';
import { systemClock } from './clock';
import { parseConfig } from './config';
import { createRuntime } from './runtime';
import { loadMasterKeys } from './secrets/master-key';

const config = parseConfig(process.env);
mkdirSync(config.dataDir, { recursive: true });
const log = console;
const masterKeys = loadMasterKeys(config);
log.info(`Master key     ${masterKeys.from}`);
const runtime = await createRuntime({
  dbFile: join(config.dataDir, 'payframe.db'),
  secrets: masterKeys.secrets,
  previousSecrets: masterKeys.previous,
  clock: systemClock,
  log,
  publicUrl: config.publicUrl,
  sandbox: config.sandbox,
  sandboxFinalConfirmations: config.sandboxFinalConfirmations,
  evmChains: config.chainsFile ? loadChainsFile(config.chainsFile) : [],
  webhooks: { allowPrivateTargets: config.webhookAllowPrivateTargets, scheduleMs: config.webhookScheduleMs },
  limits: config.limits,
  replayProtection: config.replayProtection,
});
runtime.start({ sandboxAutoMineMs: config.sandboxAutoMineMs });

const server = serve({ fetch: runtime.app.fetch, port: config.port, hostname: config.host }, (info) => {
  log.info(`Payframe API   ${config.publicUrl}  (listening on ${info.address}:${info.port})`);
  log.info(`Data           ${config.dataDir}`);
  for (const chain of runtime.chains.filter((c) => c !== runtime.sandbox)) log.info(`Chain          ${chain.id}`);
  log.info(`Sandbox        ${runtime.sandbox ? `on${config.sandboxAutoMineMs ? `, mining every ${config.sandboxAutoMineMs} ms` : ''}` : 'off'}`);
  if (!config.replayProtection) log.warn('Replay protection is OFF (REPLAY_PROTECTION=off): for benchmarks only');
});

async function shutdown() {
  server.close();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
