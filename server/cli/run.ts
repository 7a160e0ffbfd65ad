/** From argv to a command of commands.ts: parses the options, opens the database only for a known command. */
import { parseArgs } from 'node:util';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { SecretBox } from '../secrets/secret-box';
import { merchantCreate, merchantSetOrigins, merchantSetXpub, USAGE_ERROR, type CliDeps, type CliOutput } from './commands';

export const USAGE = `usage:
  npm run cli -- merchant create [--name NAME] [--origins https://shop.example,https://b.example] [--json]
  npm run cli -- merchant set-origins --account 0x… --origins https://shop.example[,…]
  npm run cli -- merchant set-xpub --account 0x… --chain evm <account xpub, m/44'/60'/0'>`;

type Values = { name?: string; origins?: string; json?: boolean; account?: string; chain?: string };

const commands: Record<string, (deps: CliDeps, values: Values, args: string[]) => Promise<number>> = {
  create: (deps, v) => merchantCreate(deps, { name: v.name, origins: v.origins, json: v.json }),
  'set-origins': (deps, v) => merchantSetOrigins(deps, { account: v.account, origins: v.origins }),
  'set-xpub': (deps, v, args) => merchantSetXpub(deps, { account: v.account, chain: v.chain, xpub: args[0] }),
};

export async function runCli(argv: string[], deps: { openDb(): Promise<{ db: Db; secrets: SecretBox }>; output: CliOutput; clock: Clock }): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, origins: { type: 'string' }, json: { type: 'boolean' }, account: { type: 'string' }, chain: { type: 'string' } },
  });
  const command = positionals[0] === 'merchant' ? commands[positionals[1] ?? ''] : undefined;
  if (!command) {
    deps.output.err(USAGE);
    return USAGE_ERROR;
  }
  const { db, secrets } = await deps.openDb();
  try {
    return await command({ db, secrets, output: deps.output, clock: deps.clock }, values, positionals.slice(2));
  } finally {
    await db.destroy();
  }
}
