/** From argv to a command: parses the options, opens the database only for a known command. */
import { parseArgs } from 'node:util';
import type { AnyChainConfig } from '../chains/chains-file';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { SecretBox } from '../secrets/secret-box';
import { merchantCreate, merchantSetOrigins, merchantSetProfile, merchantSetXpub, USAGE_ERROR, type CliDeps, type CliOutput } from './commands';
import { invoiceCreate } from './invoice-create';

export const USAGE = `usage:
  npm run cli -- merchant create [--name NAME] [--origins https://shop.example,https://b.example] [--json]
  npm run cli -- merchant set-origins --account 0x… --origins https://shop.example[,…]
  npm run cli -- merchant set-profile --account 0x… [--display-name NAME] [--appearance '{"theme":"dark","variables":{"colorPrimary":"#93a8ff"}}'|null] [--json]
  npm run cli -- merchant set-xpub --account 0x… --chain evm <account xpub, m/44'/60'/0'>
  npm run cli -- merchant set-xpub --account 0x… --chain <UTXO chain of CHAINS_FILE> <account zpub/xpub (vpub/tpub on test networks), m/84'/coin'/0'>
  npm run cli -- invoice create --account 0x… --amount 0.01 --currency ETH [--description TEXT] [--idempotency-key KEY] [--api URL] [--json]`;

const OPTIONS = {
  name: { type: 'string' },
  origins: { type: 'string' },
  json: { type: 'boolean' },
  account: { type: 'string' },
  chain: { type: 'string' },
  amount: { type: 'string' },
  currency: { type: 'string' },
  description: { type: 'string' },
  'idempotency-key': { type: 'string' },
  api: { type: 'string' },
  'display-name': { type: 'string' },
  appearance: { type: 'string' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export interface RunDeps {
  openDb(): Promise<{ db: Db; secrets: SecretBox }>;
  output: CliOutput;
  clock: Clock;
  /** The chains of CHAINS_FILE (read only by the commands that need them). */
  chains?: () => readonly AnyChainConfig[];
  /** Where `invoice create` sends its signed request (PUBLIC_URL unless --api says otherwise). */
  api: { url: string; fetch?: (input: string, init: RequestInit) => Promise<Response> };
}

type Command = (deps: CliDeps, values: Values, args: string[], run: RunDeps) => Promise<number>;

const commands: Record<string, Command> = {
  'merchant create': (deps, v) => merchantCreate(deps, { name: v.name, origins: v.origins, json: v.json }),
  'merchant set-origins': (deps, v) => merchantSetOrigins(deps, { account: v.account, origins: v.origins }),
  'merchant set-profile': (deps, v) => merchantSetProfile(deps, { account: v.account, displayName: v['display-name'], appearance: v.appearance, json: v.json }),
  'merchant set-xpub': (deps, v, args) => merchantSetXpub(deps, { account: v.account, chain: v.chain, xpub: args[0] }),
  'invoice create': (deps, v, _args, run) =>
    invoiceCreate(deps, { ...run.api, url: v.api ?? run.api.url }, {
      account: v.account,
      amount: v.amount,
      currency: v.currency,
      description: v.description,
      idempotencyKey: v['idempotency-key'],
      json: v.json,
    }),
};

export async function runCli(argv: string[], run: RunDeps): Promise<number> {
  let parsed: { positionals: string[]; values: Values };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    run.output.err(`${(err as Error).message}\n${USAGE}`);
    return USAGE_ERROR;
  }
  const { positionals, values } = parsed;
  const command = commands[positionals.slice(0, 2).join(' ')];
  if (!command) {
    run.output.err(USAGE);
    return USAGE_ERROR;
  }
  const { db, secrets } = await run.openDb();
  try {
    return await command({ db, secrets, output: run.output, clock: run.clock, chains: run.chains?.() }, values, positionals.slice(2), run);
  } finally {
    await db.destroy();
  }
}
