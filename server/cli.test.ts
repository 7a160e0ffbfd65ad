import { HDKey } from '@scure/bip32';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseChains } from './chains/chains-file';
import { addressDeriver } from './chains/utxo/keys';
import { merchantCreate, merchantSetOrigins, merchantSetXpub, type CliDeps } from './cli/commands';
import { runCli, USAGE } from './cli/run';
import { openSqlite } from './db/open';
import type { Db } from './db/schema';
import { FakeClock, harnessPerTest, testSecrets } from './testing/harness';
import { openTestDb } from './testing/template-db';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LITECOIN_REGTEST = parseChains([
  { name: 'litecoin-regtest', kind: 'utxo', rpcUrl: 'http://user:pass@127.0.0.1:19443', nativeCurrency: 'LTC', bech32Prefix: 'rltc', coinType: 1, finalConfirmations: 3 },
])[0]!;

/** The lines a command wrote, by stream. */
interface Written {
  out: string[];
  err: string[];
}

let testDb: Awaited<ReturnType<typeof openTestDb>>;
let db: Db;
let written: Written;
let deps: CliDeps;

beforeEach(async () => {
  testDb = await openTestDb();
  db = testDb.db;
  written = { out: [], err: [] };
  deps = { db, secrets: testSecrets(), clock: new FakeClock(), output: { out: (l) => written.out.push(l), err: (l) => written.err.push(l) } };
});
afterEach(() => testDb.destroy());

const origins = async (account: string) => JSON.parse((await db.selectFrom('merchants').select('origins').where('account', '=', account).executeTakeFirstOrThrow()).origins) as string[];

describe('cli merchant create', () => {
  it('prints {account, key, secret} as JSON, and nothing else, and stores the merchant with its origins', async () => {
    expect(await merchantCreate(deps, { name: 'Shop', origins: 'https://shop.example,http://localhost:3001', json: true })).toBe(0);
    expect(written.out).toHaveLength(1);
    expect(written.err).toEqual([]);
    const out = JSON.parse(written.out[0]!) as { account: string; key: string; secret: string };
    expect(Object.keys(out).sort()).toEqual(['account', 'key', 'secret']);
    expect(out.account).toMatch(/^0x[0-9a-f]{40}$/);
    expect(await origins(out.account)).toEqual(['https://shop.example', 'http://localhost:3001']);
    expect(await db.selectFrom('api_keys').select('account').where('key', '=', out.key).executeTakeFirst()).toEqual({ account: out.account });
  });

  it('refuses an origin with a path and exits 2', async () => {
    expect(await merchantCreate(deps, { origins: 'https://shop.example/checkout', json: true })).toBe(2);
    expect(written).toEqual({ out: [], err: ['--origins: "https://shop.example/checkout" is not an origin (scheme://host[:port], no path)'] });
    expect(await db.selectFrom('merchants').selectAll().execute()).toEqual([]);
  });
});

describe('cli merchant set-origins', () => {
  it('replaces the origins allowed to frame the checkout', async () => {
    await merchantCreate(deps, { origins: 'https://old.example', json: true });
    const { account } = JSON.parse(written.out[0]!) as { account: string };
    expect(await merchantSetOrigins(deps, { account, origins: 'https://new.example,http://localhost:3001' })).toBe(0);
    expect(await origins(account)).toEqual(['https://new.example', 'http://localhost:3001']);
  });

  it('refuses an unknown account and an origin with a path, and exits 2', async () => {
    expect(await merchantSetOrigins(deps, { account: '0x'.padEnd(42, '0'), origins: 'https://shop.example' })).toBe(2);
    expect(written.err).toEqual([`--account: no merchant 0x${'0'.repeat(40)}`]);
    expect(await merchantSetOrigins(deps, { account: '0x'.padEnd(42, '0'), origins: 'https://shop.example/x' })).toBe(2);
    expect(written.err[1]).toContain('is not an origin');
  });
});

describe('cli merchant set-xpub', () => {
  const seed = HDKey.fromMasterSeed(new Uint8Array(32).fill(9));
  const create = async () => {
    written.out = [];
    await merchantCreate(deps, { json: true });
    return (JSON.parse(written.out[0]!) as { account: string }).account;
  };
  const setXpub = (account: string, key: HDKey) => merchantSetXpub(deps, { account, chain: 'evm', xpub: key.publicExtendedKey });

  it('refuses a key that is not at the account level, naming its depth, and exits 2', async () => {
    const account = await create();
    expect(await setXpub(account, seed.derive("m/44'/60'/0'/0"))).toBe(2);
    expect(written.err.join('\n')).toContain('this key is at depth 4; give the account-level key at depth 3');
  });

  it('refuses the key of another merchant and exits 2', async () => {
    const [first, second] = [await create(), await create()];
    const key = seed.derive("m/44'/60'/0'");
    written.out = [];
    expect(await setXpub(first, key)).toBe(0);
    expect(written.out.join('\n')).toContain('stored.');
    expect(await setXpub(second, key)).toBe(2);
    expect(written.err.join('\n')).toContain(`merchant ${first} already uses this key`);
  });

  it('refuses a chain that is neither evm nor a UTXO chain of CHAINS_FILE, naming those, and exits 2', async () => {
    expect(await merchantSetXpub(deps, { account: await create(), chain: 'btc', xpub: seed.derive("m/44'/60'/0'").publicExtendedKey })).toBe(2);
    expect(written.err).toEqual(['--chain: "evm" (one key serves every EVM chain), or the name of a UTXO chain of CHAINS_FILE (none is configured)']);
    written.err = [];
    const withChains = { ...deps, chains: [LITECOIN_REGTEST] };
    expect(await merchantSetXpub(withChains, { account: await create(), chain: 'btc', xpub: 'x' })).toBe(2);
    expect(written.err).toEqual(['--chain: "evm" (one key serves every EVM chain) or a UTXO chain of CHAINS_FILE: litecoin-regtest']);
  });
});

describe('cli merchant set-xpub --chain <UTXO chain>', () => {
  /** A test network's account key, written tpub… as Core's descriptor wallets export it. */
  const account84 = HDKey.fromMasterSeed(new Uint8Array(32).fill(9), { public: 0x043587cf, private: 0x04358394 }).derive("m/84'/1'/0'");
  const withChains = () => ({ ...deps, chains: [LITECOIN_REGTEST] });
  const create = async () => {
    written.out = [];
    await merchantCreate(deps, { json: true });
    return (JSON.parse(written.out[0]!) as { account: string }).account;
  };

  it('stores a tpub for the chain, sealed, under the chain\'s name, and prints the first rltc1 address', async () => {
    const account = await create();
    written.out = [];
    expect(await merchantSetXpub(withChains(), { account, chain: 'litecoin-regtest', xpub: account84.publicExtendedKey })).toBe(0);
    const first = addressDeriver(account84, 'rltc')(0);
    expect(first).toMatch(/^rltc1q/);
    expect(written.out.join('\n')).toContain(`the first is ${first}`);
    const row = await db.selectFrom('merchant_xpubs').select(['family', 'xpub']).where('account', '=', account).executeTakeFirstOrThrow();
    expect(row.family).toBe('litecoin-regtest');
    expect(row.xpub).not.toContain(account84.publicExtendedKey);
  });

  it('refuses a main-network key for a test network, names why, stores nothing and exits 2', async () => {
    const account = await create();
    const xpub = new HDKey({ publicKey: account84.publicKey!, chainCode: account84.chainCode!, depth: 3, versions: { public: 0x0488b21e, private: 0x0488ade4 } }).publicExtendedKey;
    expect(await merchantSetXpub(withChains(), { account, chain: 'litecoin-regtest', xpub })).toBe(2);
    expect(written.err.join('\n')).toContain('a xpub is a main-network key, but this chain (rltc) needs a test-network one');
    expect(await db.selectFrom('merchant_xpubs').selectAll().execute()).toEqual([]);
  });

  it('refuses the key another merchant uses on the chain', async () => {
    const [first, second] = [await create(), await create()];
    expect(await merchantSetXpub(withChains(), { account: first, chain: 'litecoin-regtest', xpub: account84.publicExtendedKey })).toBe(0);
    expect(await merchantSetXpub(withChains(), { account: second, chain: 'litecoin-regtest', xpub: account84.publicExtendedKey })).toBe(2);
    expect(written.err.join('\n')).toContain(`merchant ${first} already uses this key`);
  });
});

describe('cli arguments', () => {
  it('prints the usage for an unknown command and exits 2 without opening the database', async () => {
    let opened = false;
    const openDb = async () => {
      opened = true;
      return { db, secrets: deps.secrets };
    };
    expect(await runCli(['merchant', 'delete'], { openDb, output: deps.output, clock: deps.clock, api: { url: 'http://unused.test' } })).toBe(2);
    expect(written.err).toEqual([USAGE]);
    expect(opened).toBe(false);
  });
});

describe('cli invoice create', () => {
  const h = harnessPerTest();

  /** The CLI on the harness's database file (its own connection, as a separate process has), its requests sent to the harness's Payframe in-process. */
  const run = (argv: string[]) => {
    written.out.length = 0;
    written.err.length = 0;
    return runCli(argv, {
      openDb: async () => ({ db: await openSqlite(join(h.dir, 'payframe.db')), secrets: h.secrets }),
      output: deps.output,
      clock: h.clock,
      api: { url: 'http://payframe.test', fetch: async (url, init) => h.app.request(url, init) },
    });
  };

  it('creates an invoice signed with the merchant’s key, as its backend would, and prints it as JSON', async () => {
    expect(await run(['invoice', 'create', '--account', h.merchant.account, '--amount', '0.01', '--currency', 'ETH', '--json'])).toBe(0);
    expect(written.out).toHaveLength(1);
    const printed = JSON.parse(written.out[0]!) as { id: string; amount: string; paymentUrl: string };
    expect(printed).toMatchObject({ amount: '0.01', paymentUrl: `http://payframe.test/pay/${printed.id}` });
    expect(await h.db.selectFrom('invoices').select(['account', 'amount', 'description']).where('id', '=', printed.id).executeTakeFirst()).toEqual({
      account: h.merchant.account,
      amount: '10000000000000000',
      description: 'Invoice from the command line',
    });
  });

  it('says what the API refused, naming the field, and exits 1', async () => {
    expect(await run(['invoice', 'create', '--account', h.merchant.account, '--amount', '0.000000001', '--currency', 'ETH'])).toBe(1);
    expect(written.err.join('\n')).toMatch(/400 VALIDATION_FAILED: .*payload\.amount has more than 8 decimal places/);
  });

  it('refuses an unknown account or a missing amount before calling the API', async () => {
    expect(await run(['invoice', 'create', '--account', '0x' + '9'.repeat(40), '--amount', '1', '--currency', 'ETH'])).toBe(2);
    expect(written.err).toEqual([`--account: no merchant 0x${'9'.repeat(40)} (create one with: npm run cli -- merchant create)`]);
    expect(await run(['invoice', 'create', '--account', h.merchant.account, '--currency', 'ETH'])).toBe(2);
    expect(await h.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
  });
});

describe('the cli binary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The one test of the real process: argv, DATA_DIR, stdout and the exit code, as scripts use them.
  it('prints only the JSON line on stdout with --json, and the merchant is in DATA_DIR', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'merchant', 'create', '--name', 'Smoke', '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dir },
    });
    expect(stdout).toMatch(/^\{.*\}\n$/);
    const { account } = JSON.parse(stdout) as { account: string };
    const stored = await openSqlite(join(dir, 'payframe.db'));
    try {
      expect(await stored.selectFrom('merchants').select('name').where('account', '=', account).executeTakeFirst()).toEqual({ name: 'Smoke' });
    } finally {
      await stored.destroy();
    }
  });
});

describe('cli merchant set-profile', () => {
  const h = harnessPerTest();

  const run = (argv: string[]) => {
    written.out.length = 0;
    written.err.length = 0;
    return runCli(['merchant', 'set-profile', '--account', h.merchant.account, ...argv], {
      openDb: async () => ({ db: await openSqlite(join(h.dir, 'payframe.db')), secrets: h.secrets }),
      output: deps.output,
      clock: h.clock,
      api: { url: 'http://unused.test' },
    });
  };

  it('sets the display name and default appearance that the merchant API then answers, and removes them', async () => {
    const appearance = { theme: 'dark', variables: { colorPrimary: '#ffd166', borderRadius: '4px' } };
    expect(await run(['--display-name', 'Beans & Co', '--appearance', JSON.stringify(appearance), '--json'])).toBe(0);
    expect(JSON.parse(written.out[0]!)).toEqual({ account: h.merchant.account, displayName: 'Beans & Co', appearance });
    expect(await h.client.getProfile({})).toEqual({ account: h.merchant.account, displayName: 'Beans & Co', appearance });
    expect(await run(['--display-name', '', '--appearance', 'null'])).toBe(0);
    expect(written.out).toEqual([`display name of ${h.merchant.account}: (none)\nappearance: (none: Payframe's own)`]);
    expect(await h.client.getProfile({})).toMatchObject({ displayName: null, appearance: null });
  });

  it('refuses what the API refuses, with its message, and exits 2 changing nothing', async () => {
    expect(await run(['--appearance', '{"theme":"light","variables":{"colorPrimary":"#ffff00"}}'])).toBe(2);
    expect(written.err).toEqual([
      '--appearance variables.colorPrimary: colorPrimary #ffff00 on the default colorBackground #ffffff has a contrast of 1.07:1, below the 4.5:1 WCAG AA requires for text. Choose another colorPrimary',
    ]);
    expect(await run(['--appearance', '{"variables":{"fontFamily":"x;}"}}'])).toBe(2);
    expect(written.err[0]).toMatch(/^--appearance variables\.fontFamily: must be a comma-separated list of font names/);
    expect(await run(['--appearance', '{theme: dark}'])).toBe(2);
    expect(written.err[0]).toMatch(/^--appearance: not JSON/);
    expect(await run([])).toBe(2);
    expect(written.err).toEqual(['give --display-name, --appearance, or both']);
    expect(await h.client.getProfile({})).toMatchObject({ displayName: null, appearance: null });
  });
});
