import { HDKey } from '@scure/bip32';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from './db/open';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'payframe-cli-'));
const cli = (...args: string[]) => run(join('node_modules', '.bin', 'tsx'), ['server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dir } });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli merchant create', () => {
  it('prints {account, key, secret} as JSON and stores the merchant with its origins', async () => {
    const { stdout } = await cli('merchant', 'create', '--name', 'Shop', '--origins', 'https://shop.example,http://localhost:3001', '--json');
    const out = JSON.parse(stdout) as { account: string; key: string; secret: string };
    expect(Object.keys(out).sort()).toEqual(['account', 'key', 'secret']);
    expect(out.account).toMatch(/^0x[0-9a-f]{40}$/);
    const db = await openSqlite(join(dir, 'payframe.db'));
    try {
      const row = await db.selectFrom('merchants').selectAll().where('account', '=', out.account).executeTakeFirstOrThrow();
      expect(JSON.parse(row.origins)).toEqual(['https://shop.example', 'http://localhost:3001']);
      expect(await db.selectFrom('api_keys').select('account').where('key', '=', out.key).executeTakeFirst()).toEqual({ account: out.account });
    } finally {
      await db.destroy();
    }
  });

  it('refuses an origin with a path and exits 2', async () => {
    await expect(cli('merchant', 'create', '--origins', 'https://shop.example/checkout', '--json')).rejects.toMatchObject({ code: 2 });
  });
});

describe('cli merchant set-xpub', () => {
  const seed = HDKey.fromMasterSeed(new Uint8Array(32).fill(9));
  const createJson = async () => (JSON.parse((await cli('merchant', 'create', '--json')).stdout) as { account: string }).account;
  const setXpub = (account: string, key: HDKey) => cli('merchant', 'set-xpub', '--account', account, '--chain', 'evm', key.publicExtendedKey);

  it('refuses a key that is not at the account level, naming its depth, and exits 2', async () => {
    const account = await createJson();
    await expect(setXpub(account, seed.derive("m/44'/60'/0'/0"))).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('this key is at depth 4; give the account-level key at depth 3') });
  });

  it('refuses the key of another merchant and exits 2', async () => {
    const [first, second] = [await createJson(), await createJson()];
    const key = seed.derive("m/44'/60'/0'");
    expect((await setXpub(first, key)).stdout).toContain('stored.');
    await expect(setXpub(second, key)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining(`merchant ${first} already uses this key`) });
  });
});
