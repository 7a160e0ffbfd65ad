/**
 * Payframe's command line.
 *   npm run cli -- merchant create [--name N] [--origins https://a,https://b] [--json]
 *   npm run cli -- merchant set-xpub --account 0x… --chain evm <xpub>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from './config';
import { openSqlite } from './db/open';
import type { Db } from './db/schema';
import { createMerchant, findMerchant } from './merchants/merchants';
import { setXpub } from './merchants/xpubs';
import { loadMasterKeys } from './secrets/master-key';
import type { SecretBox } from './secrets/secret-box';
import { sealStoredSecrets } from './secrets/seal-stored';
import { deriveReceiveAddress, receiveNode } from './chains/hd';

const USAGE = `usage:
  npm run cli -- merchant create [--name NAME] [--origins https://shop.example,https://b.example] [--json]
  npm run cli -- merchant set-xpub --account 0x… --chain evm <account xpub, m/44'/60'/0'>`;

type Command = (db: Db, secrets: SecretBox, values: Record<string, string | boolean | undefined>, args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  async create(db, secrets, values) {
    const origins = String(values.origins ?? '').split(',').filter(Boolean);
    for (const origin of origins) {
      if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
        console.error(`--origins: "${origin}" is not an origin (scheme://host[:port], no path)`);
        return 2;
      }
    }
    const merchant = await createMerchant(db, secrets, { name: String(values.name ?? 'Merchant'), origins, now: Date.now() });
    if (values.json) console.log(JSON.stringify(merchant));
    else console.log(`account ${merchant.account}\nkey     ${merchant.key}\nsecret  ${merchant.secret}  (shown once; keep it on your server)`);
    return 0;
  },

  async 'set-xpub'(db, secrets, values, args) {
    const account = String(values.account ?? '').toLowerCase();
    if (values.chain !== 'evm') {
      console.error('--chain: only "evm" is supported (one key serves every EVM chain)');
      return 2;
    }
    if (!(await findMerchant(db, account))) {
      console.error(`--account: no merchant ${account || '(missing)'}`);
      return 2;
    }
    const stored = await setXpub(db, secrets, account, 'evm', args[0] ?? '', Date.now());
    if (!stored.ok) {
      console.error(`xpub: ${stored.reason}`);
      return 2;
    }
    const first = deriveReceiveAddress(receiveNode(stored.key), 0);
    console.log(`stored. Invoice addresses are …/0/i below this key; the first is ${first} — check that your wallet shows the same.`);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, origins: { type: 'string' }, json: { type: 'boolean' }, account: { type: 'string' }, chain: { type: 'string' } },
  });
  const command = positionals[0] === 'merchant' ? commands[positionals[1] ?? ''] : undefined;
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const config = parseConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const { secrets, previous, from } = loadMasterKeys(config);
  console.error(`master key: ${from}`);
  const db = await openSqlite(join(config.dataDir, 'payframe.db'));
  try {
    await sealStoredSecrets(db, secrets, previous);
    return await command(db, secrets, values, positionals.slice(2));
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
