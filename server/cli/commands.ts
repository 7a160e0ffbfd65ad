/**
 * The CLI's commands. Each takes what it needs — the database, where its
 * lines go, the clock — and returns the exit code, so tests and scripts call
 * them in-process; server/cli.ts only parses argv and opens the database.
 */
import type { AnyChainConfig } from '../chains/chains-file';
import { deriveReceiveAddress, receiveNode } from '../chains/hd';
import { addressDeriver, parseAccountKey } from '../chains/utxo/keys';
import { networkByPrefix } from '../chains/utxo/networks';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { createMerchant, findMerchant, setMerchantOrigins } from '../merchants/merchants';
import { setXpub } from '../merchants/xpubs';
import { updateProfile } from '../merchants/profile';
import { updateProfile as updateProfileSchema } from '../../contract/merchant-profile';
import type { SecretBox } from '../secrets/secret-box';

/** Where a command writes: stdout for results (with --json, only the JSON), stderr for everything else. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface CliDeps {
  db: Db;
  /** Seals what the commands store (API secrets, xpubs) under the master key. */
  secrets: SecretBox;
  output: CliOutput;
  clock: Clock;
  /** The chains of CHAINS_FILE: `merchant set-xpub --chain` names one of its UTXO chains. */
  chains?: readonly AnyChainConfig[];
}

/** Exit code for a usage or input error, as the shell's builtins use it. */
export const USAGE_ERROR = 2;

/** Splits `--origins a,b` and checks each is a bare origin; undefined (after telling why) if one is not. */
function parseOrigins(text: string | undefined, output: CliOutput): string[] | undefined {
  const origins = (text ?? '').split(',').filter(Boolean);
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      output.err(`--origins: "${origin}" is not an origin (scheme://host[:port], no path)`);
      return undefined;
    }
  }
  return origins;
}

/** `merchant create`: a new merchant with one API key; the secret is shown only here. */
export async function merchantCreate({ db, secrets, output, clock }: CliDeps, opts: { name?: string; origins?: string; json?: boolean }): Promise<number> {
  const origins = parseOrigins(opts.origins, output);
  if (!origins) return USAGE_ERROR;
  const merchant = await createMerchant(db, secrets, { name: opts.name ?? 'Merchant', origins, now: clock.now() });
  if (opts.json) output.out(JSON.stringify(merchant));
  else output.out(`account ${merchant.account}\nkey     ${merchant.key}\nsecret  ${merchant.secret}  (shown once; keep it on your server)`);
  return 0;
}

/** `merchant set-origins`: replaces the origins allowed to frame the merchant's checkout (a shop that moved). */
export async function merchantSetOrigins({ db, output }: CliDeps, opts: { account?: string; origins?: string }): Promise<number> {
  const account = (opts.account ?? '').toLowerCase();
  const origins = parseOrigins(opts.origins, output);
  if (!origins) return USAGE_ERROR;
  if (!(await setMerchantOrigins(db, account, origins))) {
    output.err(`--account: no merchant ${account || '(missing)'}`);
    return USAGE_ERROR;
  }
  output.out(`origins of ${account}: ${origins.join(', ') || '(none: the checkout cannot be framed)'}`);
  return 0;
}

/**
 * `merchant set-xpub`: the account-level key the merchant's invoice addresses
 * are derived from. `--chain evm`: one BIP-44 key for every EVM chain;
 * `--chain <name>`: the BIP-84 key of that UTXO chain of CHAINS_FILE.
 */
export async function merchantSetXpub({ db, secrets, output, clock, chains = [] }: CliDeps, opts: { account?: string; chain?: string; xpub?: string }): Promise<number> {
  const account = (opts.account ?? '').toLowerCase();
  const utxo = chains.find((c) => c.kind === 'utxo' && c.name === opts.chain);
  const network = utxo?.kind === 'utxo' ? networkByPrefix(utxo.bech32Prefix) : undefined;
  if (opts.chain !== 'evm' && !network) {
    const names = chains.flatMap((c) => (c.kind === 'utxo' ? [c.name] : []));
    output.err(`--chain: "evm" (one key serves every EVM chain)${names.length > 0 ? ` or a UTXO chain of CHAINS_FILE: ${names.join(', ')}` : ', or the name of a UTXO chain of CHAINS_FILE (none is configured)'}`);
    return USAGE_ERROR;
  }
  if (!(await findMerchant(db, account))) {
    output.err(`--account: no merchant ${account || '(missing)'}`);
    return USAGE_ERROR;
  }
  const family = network ? opts.chain! : 'evm';
  const check = network ? (text: string) => parseAccountKey(text, network) : undefined;
  const stored = await setXpub(db, secrets, account, family, opts.xpub ?? '', clock.now(), check);
  if (!stored.ok) {
    output.err(`xpub: ${stored.reason}`);
    return USAGE_ERROR;
  }
  const first = network ? addressDeriver(stored.key, network.bech32Prefix)(0) : deriveReceiveAddress(receiveNode(stored.key), 0);
  output.out(`stored. Invoice addresses are …/0/i below this key; the first is ${first} — check that your wallet shows the same.`);
  return 0;
}

/**
 * `merchant set-profile`: what buyers see of the merchant — `--display-name` (an empty one removes it) and
 * `--appearance` (JSON, contract/appearance.ts; `null` removes it). Checked by the merchant API's own schema,
 * so the CLI refuses what the API refuses, with the same message.
 */
export async function merchantSetProfile({ db, output }: CliDeps, opts: { account?: string; displayName?: string; appearance?: string; json?: boolean }): Promise<number> {
  const account = (opts.account ?? '').toLowerCase();
  if (opts.displayName === undefined && opts.appearance === undefined) {
    output.err('give --display-name, --appearance, or both');
    return USAGE_ERROR;
  }
  let appearance: unknown;
  if (opts.appearance !== undefined) {
    try {
      appearance = JSON.parse(opts.appearance);
    } catch {
      output.err('--appearance: not JSON; e.g. \'{"theme":"dark","variables":{"colorPrimary":"#93a8ff"}}\', or null to remove it');
      return USAGE_ERROR;
    }
  }
  const change = updateProfileSchema.safeParse({ displayName: opts.displayName === '' ? null : opts.displayName, appearance });
  if (!change.success) {
    const issue = change.error.issues[0]!;
    const [field, ...rest] = issue.path.map(String);
    output.err(`--${field === 'displayName' ? 'display-name' : 'appearance'}${rest.length ? ` ${rest.join('.')}` : ''}: ${issue.message}`);
    return USAGE_ERROR;
  }
  const profile = await updateProfile(db, account, change.data);
  if (!profile) {
    output.err(`--account: no merchant ${account || '(missing)'}`);
    return USAGE_ERROR;
  }
  if (opts.json) output.out(JSON.stringify(profile));
  else output.out(`display name of ${account}: ${profile.displayName ?? '(none)'}\nappearance: ${profile.appearance ? JSON.stringify(profile.appearance) : "(none: Payframe's own)"}`);
  return 0;
}
