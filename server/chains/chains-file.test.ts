import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainCurrencies, loadChainsFile, parseChains, type ChainConfig } from './chains-file';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/** The least a chain entry needs: everything else has a default. */
const minimal = { name: 'anvil', chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', nativeCurrency: 'ETH', finalConfirmations: 3 };
const HTTP_ONLY = 'CHAINS_FILE [0].rpcUrl: must be an http:// or https:// URL (ws:// and wss:// are not supported: Payframe polls over HTTP)';

/** The error lines of parseChains, without the heading. */
function problems(json: unknown): string[] {
  try {
    parseChains(json);
  } catch (err) {
    const [heading, ...lines] = (err as Error).message.split('\n');
    expect(heading).toBe('invalid chain configuration:');
    return lines.map((l) => l.trim());
  }
  throw new Error('parseChains accepted the configuration');
}

describe('parseChains', () => {
  it('reserves the name of the sandbox chain', () => {
    expect(problems([{ ...minimal, name: 'sandbox' }])).toEqual(['CHAINS_FILE [0].name: is reserved for the sandbox chain']);
  });

  it('fills the defaults of a minimal chain', () => {
    expect(parseChains([minimal])).toEqual([
      { ...minimal, nativeDecimals: 18, paidConfirmations: 1, pollIntervalMs: 4000, mempool: true, tokens: [] },
    ]);
  });

  it('keeps every value a complete file sets', () => {
    const full: ChainConfig = {
      name: 'polygon-amoy',
      chainId: 80002,
      rpcUrl: 'https://rpc.example.com/v1/key',
      nativeCurrency: 'POL_AMOY',
      nativeDecimals: 18,
      paidConfirmations: 2,
      finalConfirmations: 64,
      pollIntervalMs: 2000,
      mempool: false,
      tokens: [{ currency: 'USDC_AMOY', contract: TOKEN, decimals: 6 }],
    };
    expect(parseChains([full])).toEqual([full]);
  });

  it('accepts an empty list', () => {
    expect(parseChains([])).toEqual([]);
  });

  it('names the field of a bad rpcUrl', () => {
    expect(problems([{ ...minimal, rpcUrl: 'localhost:8545' }])).toEqual([HTTP_ONLY]);
  });

  it('refuses an rpcUrl that is not http(s)', () => {
    expect(problems([{ ...minimal, rpcUrl: 'ftp://127.0.0.1/' }])).toEqual([HTTP_ONLY]);
  });

  it('refuses a ws:// or wss:// rpcUrl, which the adapter cannot poll', () => {
    expect(problems([{ ...minimal, rpcUrl: 'ws://127.0.0.1:8545' }])).toEqual([HTTP_ONLY]);
    expect(problems([{ ...minimal, rpcUrl: 'wss://rpc.example.com/v1/key' }])).toEqual([HTTP_ONLY]);
  });

  it('takes a block explorer as an https:// address with {hash}, and refuses any other, saying what it needs', () => {
    expect(parseChains([{ ...minimal, explorerTxUrl: 'https://etherscan.io/tx/{hash}' }])[0]!.explorerTxUrl).toBe('https://etherscan.io/tx/{hash}');
    const needs = 'must be an https:// address with {hash} where the transaction hash goes, e.g. "https://etherscan.io/tx/{hash}"';
    for (const bad of ['https://etherscan.io/tx/', 'http://etherscan.io/tx/{hash}', 'javascript:alert(1)//{hash}']) {
      expect(problems([{ ...minimal, explorerTxUrl: bad }])).toEqual([`CHAINS_FILE [0].explorerTxUrl: ${needs}`]);
    }
  });

  it('requires finalConfirmations', () => {
    const { finalConfirmations: _, ...rest } = minimal;
    expect(problems([rest])).toEqual([expect.stringMatching(/^CHAINS_FILE \[0\]\.finalConfirmations: .*expected number/)]);
  });

  it('refuses finalConfirmations below paidConfirmations', () => {
    expect(problems([{ ...minimal, paidConfirmations: 5, finalConfirmations: 4 }])).toEqual([
      'CHAINS_FILE [0].finalConfirmations: must be at least paidConfirmations',
    ]);
  });

  it('accepts finalConfirmations equal to paidConfirmations', () => {
    expect(parseChains([{ ...minimal, paidConfirmations: 3, finalConfirmations: 3 }])[0]).toMatchObject({ paidConfirmations: 3, finalConfirmations: 3 });
  });

  it('names the token whose contract is not an address', () => {
    const tokens = [
      { currency: 'USDT', contract: TOKEN, decimals: 6 },
      { currency: 'USDC', contract: '0x1234', decimals: 6 },
    ];
    expect(problems([{ ...minimal, tokens }])).toEqual(['CHAINS_FILE [0].tokens[1].contract: must be a 0x-prefixed 20-byte address']);
  });

  it('refuses a lower-case currency code, saying what a code looks like', () => {
    expect(problems([{ ...minimal, nativeCurrency: 'eth' }])).toEqual([
      'CHAINS_FILE [0].nativeCurrency: must be an upper-case currency code such as "ETH" or "USDT_BSC"',
    ]);
  });

  it('refuses a native currency already served by another chain, naming that chain', () => {
    expect(problems([minimal, { ...minimal, name: 'mainnet', chainId: 1 }])).toEqual(['CHAINS_FILE [1].nativeCurrency: currency ETH is already served by chain anvil']);
  });

  it('names the token entry whose currency another chain already serves', () => {
    const bsc = { ...minimal, name: 'bsc', chainId: 56, nativeCurrency: 'BNB', tokens: [{ currency: 'USDT_BSC', contract: TOKEN, decimals: 18 }, { currency: 'ETH', contract: TOKEN, decimals: 18 }] };
    expect(problems([minimal, bsc])).toEqual(['CHAINS_FILE [1].tokens[1].currency: currency ETH is already served by chain anvil']);
  });

  it('refuses two chains with the same name, which would share one checkpoint', () => {
    expect(problems([minimal, { ...minimal, chainId: 1, nativeCurrency: 'BNB' }])).toEqual(['CHAINS_FILE [1].name: another chain is already named anvil']);
  });

  it('refuses a file that is not a list', () => {
    expect(problems({ chains: [minimal] })).toEqual(['CHAINS_FILE (root): Invalid input: expected array, received object']);
  });

  it('reports every problem at once, one line each', () => {
    expect(problems([{ ...minimal, rpcUrl: 'nope', nativeCurrency: 'eth', pollIntervalMs: 10 }])).toEqual([
      HTTP_ONLY,
      'CHAINS_FILE [0].nativeCurrency: must be an upper-case currency code such as "ETH" or "USDT_BSC"',
      expect.stringMatching(/^CHAINS_FILE \[0\]\.pollIntervalMs: /),
    ]);
  });

  it('names the source it was given in its messages', () => {
    expect(() => parseChains([{ ...minimal, chainId: 0 }], 'chains.json')).toThrow(/chains\.json \[0\]\.chainId: /);
  });
});

describe('parseChains, UTXO entries', () => {
  /** The example entry. */
  const litecoin = { name: 'litecoin-regtest', kind: 'utxo', rpcUrl: 'http://user:pass@127.0.0.1:19443', nativeCurrency: 'LTC', bech32Prefix: 'rltc', coinType: 1, paidConfirmations: 1, finalConfirmations: 3, pollIntervalMs: 1000 };

  it('reads a UTXO entry, filling its defaults, beside an EVM entry without kind', () => {
    expect(parseChains([minimal, litecoin])).toEqual([
      { ...minimal, nativeDecimals: 18, paidConfirmations: 1, pollIntervalMs: 4000, mempool: true, tokens: [] },
      { ...litecoin, mempool: true },
    ]);
  });

  it('refuses a UTXO chain named "evm", the key family of the EVM chains', () => {
    expect(problems([{ ...litecoin, name: 'evm' }])).toEqual([expect.stringMatching(/^CHAINS_FILE \[0\]\.name: is what `merchant set-xpub --chain evm` names/)]);
  });

  it('accepts an explicit kind "evm"', () => {
    expect(parseChains([{ ...minimal, kind: 'evm' }])[0]).toMatchObject({ kind: 'evm', chainId: 31337 });
  });

  it('refuses an unknown kind, naming the two there are', () => {
    expect(problems([{ ...litecoin, kind: 'solana' }])).toEqual(['CHAINS_FILE [0].kind: must be "evm" (the default) or "utxo"']);
  });

  it('refuses a bech32 prefix of no network Payframe knows, listing those it does', () => {
    expect(problems([{ ...litecoin, bech32Prefix: 'doge' }])).toEqual([
      'CHAINS_FILE [0].bech32Prefix: must be a bech32 prefix Payframe knows: bc, tb, bcrt (Bitcoin), ltc, tltc, rltc (Litecoin)',
    ]);
  });

  it('requires finalConfirmations of a UTXO chain, and at least paidConfirmations', () => {
    const { finalConfirmations: _, ...rest } = litecoin;
    expect(problems([rest])).toEqual([expect.stringMatching(/^CHAINS_FILE \[0\]\.finalConfirmations: .*expected number/)]);
    expect(problems([{ ...litecoin, paidConfirmations: 2, finalConfirmations: 1 }])).toEqual(['CHAINS_FILE [0].finalConfirmations: must be at least paidConfirmations']);
  });

  it('refuses a UTXO chain whose coin another chain already serves', () => {
    expect(problems([litecoin, { ...litecoin, name: 'litecoin-2' }])).toEqual(['CHAINS_FILE [1].nativeCurrency: currency LTC is already served by chain litecoin-regtest']);
  });

  it('gives a UTXO chain one currency of 8 decimals on its network', () => {
    expect(chainCurrencies(parseChains([litecoin])[0]!)).toEqual([{ code: 'LTC', network: 'litecoin-regtest', decimals: 8, scale: 8, paidConfirmations: 1, finalConfirmations: 3 }]);
  });
});

describe('loadChainsFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-chains-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads and validates a JSON file', () => {
    const file = join(dir, 'chains.json');
    writeFileSync(file, JSON.stringify([minimal], null, 2));
    expect(loadChainsFile(file)).toEqual(parseChains([minimal]));
  });

  it('says which file it cannot read and why', () => {
    const file = join(dir, 'missing.json');
    expect(() => loadChainsFile(file)).toThrow(`CHAINS_FILE: cannot read ${file}: ENOENT`);
  });

  it('says which file is not valid JSON', () => {
    const file = join(dir, 'chains.json');
    writeFileSync(file, '[{ "name": "anvil", }]');
    expect(() => loadChainsFile(file)).toThrow(`CHAINS_FILE: ${file} is not valid JSON: `);
  });

  it('reports validation errors of the file it read', () => {
    const file = join(dir, 'chains.json');
    writeFileSync(file, JSON.stringify([{ ...minimal, rpcUrl: 'x' }]));
    expect(() => loadChainsFile(file)).toThrow(HTTP_ONLY);
  });
});

describe('chainCurrencies', () => {
  const chain = (over: Partial<ChainConfig>) => parseChains([{ ...minimal, paidConfirmations: 2, finalConfirmations: 20, ...over }])[0]!;

  it('gives a known token code its built-in scale, with the configured contract, decimals, network and confirmations', () => {
    const [, usdt] = chainCurrencies(chain({ tokens: [{ currency: 'USDT', contract: TOKEN, decimals: 6 }] }));
    expect(usdt).toEqual({ code: 'USDT', network: 'anvil', decimals: 6, scale: 6, token: TOKEN, paidConfirmations: 2, finalConfirmations: 20 });
  });

  it('gives the native coin no token contract', () => {
    const [eth] = chainCurrencies(chain({}));
    expect(eth).toEqual({ code: 'ETH', network: 'anvil', decimals: 18, scale: 8, paidConfirmations: 2, finalConfirmations: 20 });
  });

  it('gives an unknown code a scale of 8', () => {
    const [tst] = chainCurrencies(chain({ nativeCurrency: 'TST', nativeDecimals: 18 }));
    expect(tst).toMatchObject({ code: 'TST', decimals: 18, scale: 8, network: 'anvil' });
  });

  it('never gives a scale finer than the chain units', () => {
    const currencies = chainCurrencies(chain({ nativeCurrency: 'TST', nativeDecimals: 2, tokens: [{ currency: 'USDT', contract: TOKEN, decimals: 4 }] }));
    expect(currencies.map((c) => [c.code, c.scale])).toEqual([
      ['TST', 2],
      ['USDT', 4],
    ]);
  });

  it('lists the native currency first, then the tokens in file order', () => {
    const tokens = [
      { currency: 'USDC', contract: TOKEN, decimals: 6 },
      { currency: 'DAI_ANVIL', contract: TOKEN, decimals: 18 },
    ];
    expect(chainCurrencies(chain({ tokens })).map((c) => c.code)).toEqual(['ETH', 'USDC', 'DAI_ANVIL']);
  });
});
