/**
 * Payframe's command line.
 *   npm run cli -- merchant create [--name N] [--origins https://a,https://b] [--json]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from './config';
import { openSqlite } from './db/open';
import { createMerchant } from './merchants/merchants';

const USAGE = 'usage: npm run cli -- merchant create [--name NAME] [--origins https://shop.example,https://b.example] [--json]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, origins: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals[0] !== 'merchant' || positionals[1] !== 'create') {
    console.error(USAGE);
    return 2;
  }
  const origins = (values.origins ?? '').split(',').filter(Boolean);
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      console.error(`--origins: "${origin}" is not an origin (scheme://host[:port], no path)`);
      return 2;
    }
  }
  const config = parseConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const db = await openSqlite(join(config.dataDir, 'payframe.db'));
  try {
    const merchant = await createMerchant(db, { name: values.name ?? 'Merchant', origins, now: Date.now() });
    if (values.json) console.log(JSON.stringify(merchant));
    else console.log(`account ${merchant.account}\nkey     ${merchant.key}\nsecret  ${merchant.secret}  (shown once; keep it on your server)`);
    return 0;
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
