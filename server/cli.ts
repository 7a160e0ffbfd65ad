/**
 * Payframe's command line (the commands are in cli/commands.ts).
 *   npm run cli -- merchant create [--name N] [--origins https://a,https://b] [--json]
 *   npm run cli -- merchant set-origins --account 0x… --origins https://a[,https://b]
 *   npm run cli -- merchant set-profile --account 0x… [--display-name NAME] [--appearance JSON|null]
 *   npm run cli -- merchant set-xpub --account 0x… --chain evm|<UTXO chain of CHAINS_FILE> <xpub>
 *   npm run cli -- invoice create --account 0x… --amount 0.01 --currency ETH [--json]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChainsFile } from './chains/chains-file';
import { runCli } from './cli/run';
import { systemClock } from './clock';
import { parseConfig } from './config';
import { openSqlite } from './db/open';
import { loadMasterKeys } from './secrets/master-key';
import { sealStoredSecrets } from './secrets/seal-stored';

const output = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };

/** The database and the master key it is sealed under; anything an older version stored in the clear is sealed first. */
async function openDb() {
  const config = parseConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const { secrets, previous, from } = loadMasterKeys(config);
  output.err(`master key: ${from}`);
  const db = await openSqlite(join(config.dataDir, 'payframe.db'));
  await sealStoredSecrets(db, secrets, previous);
  return { db, secrets };
}

// exitCode, not exit(): the process ends once stdout is flushed, so a piped --json line is never cut short.
const chains = () => {
  const file = parseConfig(process.env).chainsFile;
  return file ? loadChainsFile(file) : [];
};

runCli(process.argv.slice(2), { openDb, output, clock: systemClock, chains, api: { url: parseConfig(process.env).publicUrl } }).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
