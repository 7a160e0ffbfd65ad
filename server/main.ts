/** The entry point: reads the environment, opens the data directory and the port. */
import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChainsFile } from './chains/chains-file';
import { parseConfig } from './config';
import { createRuntime } from './runtime';

const config = parseConfig(process.env);
mkdirSync(config.dataDir, { recursive: true });
const log = console;
const runtime = await createRuntime({
  dbFile: join(config.dataDir, 'payframe.db'),
  clock: { now: () => Date.now() },
  log,
  publicUrl: config.publicUrl,
  sandbox: config.sandbox,
  sandboxFinalConfirmations: config.sandboxFinalConfirmations,
  evmChains: config.chainsFile ? loadChainsFile(config.chainsFile) : [],
  webhooks: { allowPrivateTargets: config.webhookAllowPrivateTargets, scheduleMs: config.webhookScheduleMs },
});
if (runtime.sandbox && config.sandboxAutoMineMs > 0) runtime.sandbox.startAutoMine(config.sandboxAutoMineMs);
runtime.webhooks.start();

const expiry = setInterval(() => void runtime.engine.expireDue().catch((err: unknown) => log.error('expiry sweep failed', err)), 1000);
const server = serve({ fetch: runtime.app.fetch, port: config.port, hostname: config.host }, (info) => {
  log.info(`Payframe API   ${config.publicUrl}  (listening on ${info.address}:${info.port})`);
  log.info(`Data           ${config.dataDir}`);
  for (const chain of runtime.chains.filter((c) => c !== runtime.sandbox)) log.info(`Chain          ${chain.id}`);
  log.info(`Sandbox        ${runtime.sandbox ? `on${config.sandboxAutoMineMs ? `, mining every ${config.sandboxAutoMineMs} ms` : ''}` : 'off'}`);
});

async function shutdown() {
  clearInterval(expiry);
  server.close();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
