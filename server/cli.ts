/**
 * Payframe's command line (the commands are in cli/commands.ts).
 *   npm run cli -- merchant create [--name N] [--origins https://a,https://b] [--json]
 *   npm run cli -- merchant set-origins --account 0x… --origins https://a[,https://b]
 *   npm run cli -- merchant set-xpub --account 0x… --chain evm <xpub>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli/run';
import { parseConfig } from './config';
import { openSqlite } from './db/open';

async function openDb() {
  const config = parseConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  return openSqlite(join(config.dataDir, 'payframe.db'));
}

// exitCode, not exit(): the process ends once stdout is flushed, so a piped --json line is never cut short.
runCli(process.argv.slice(2), {
  openDb,
  output: { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  clock: { now: () => Date.now() },
}).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
