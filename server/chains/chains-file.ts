/**
 * CHAINS_FILE: the chains Payframe watches, as a JSON list. An entry is an
 * EVM chain (`"kind": "evm"`, the default) or a UTXO chain (`"kind": "utxo"`:
 * Bitcoin, Litecoin, through Bitcoin Core's JSON-RPC):
 *
 *   [{ "name": "ethereum", "chainId": 1, "rpcUrl": "https://…",
 *      "nativeCurrency": "ETH", "paidConfirmations": 1, "finalConfirmations": 12,
 *      "pollIntervalMs": 4000,
 *      "tokens": [{ "currency": "USDT", "contract": "0xdAC1…", "decimals": 6 }] },
 *    { "name": "litecoin-regtest", "kind": "utxo", "rpcUrl": "http://user:pass@127.0.0.1:19443",
 *      "nativeCurrency": "LTC", "bech32Prefix": "rltc", "coinType": 1,
 *      "paidConfirmations": 1, "finalConfirmations": 3, "pollIntervalMs": 1000 }]
 *
 * A currency code the built-in table knows keeps its scale; any other code
 * (a new chain's coin or token) is added by configuration alone.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUILT_IN_TABLE, type Currency } from '../money/currencies';
import { networkByPrefix, UTXO_DECIMALS } from './utxo/networks';

const code = z.string().regex(/^[A-Z0-9_]{2,32}$/, 'must be an upper-case currency code such as "ETH" or "USDT_BSC"');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');

const tokenSchema = z.object({
  currency: code,
  contract: address,
  decimals: z.number().int().min(0).max(36),
});

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name such as "ethereum"')
  .refine((n) => n !== 'sandbox', 'is reserved for the sandbox chain');
// The adapters poll over HTTP JSON-RPC; a ws(s):// URL would fail at every poll, so it is refused here.
const rpcUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (ws:// and wss:// are not supported: Payframe polls over HTTP)' });
const confirmations = {
  paidConfirmations: z.number().int().min(1).max(1000).default(1),
  finalConfirmations: z.number().int().min(1).max(10_000),
};
/**
 * Where a buyer can look a payment up: an https:// page address with `{hash}` where the transaction hash goes.
 * The checkout's receipt links to it; it reaches the browser, so it must not carry a secret.
 */
const explorerTxUrl = z
  .string()
  .refine((u) => u.includes('{hash}') && URL.canParse(u.replace('{hash}', '0')) && u.startsWith('https://'), 'must be an https:// address with {hash} where the transaction hash goes, e.g. "https://etherscan.io/tx/{hash}"')
  .optional();
const finalAfterPaid = (c: { paidConfirmations: number; finalConfirmations: number }) => c.finalConfirmations >= c.paidConfirmations;
const finalAfterPaidError = { message: 'must be at least paidConfirmations', path: ['finalConfirmations'] };

const evmSchema = z
  .object({
    name,
    /** Absent in files written before UTXO chains: an entry without `kind` is an EVM chain. */
    kind: z.literal('evm').optional(),
    chainId: z.number().int().positive(),
    rpcUrl,
    nativeCurrency: code,
    nativeDecimals: z.number().int().min(0).max(36).default(18),
    ...confirmations,
    pollIntervalMs: z.number().int().min(50).max(600_000).default(4000),
    /** Whether to look at the node's pending transactions (MEM_POOL_FOUND). */
    mempool: z.boolean().default(true),
    tokens: z.array(tokenSchema).default([]),
    /**
     * A public RPC a buyer's browser wallet may be asked to add the chain with
     * (EIP-3085) when it does not know it. Never rpcUrl: that one often carries an API key.
     */
    walletRpcUrl: rpcUrl.optional(),
    explorerTxUrl,
  })
  .refine(finalAfterPaid, finalAfterPaidError);

const utxoSchema = z
  .object({
    // Its merchants' keys are stored under its name; "evm" names the key every EVM chain shares.
    name: name.refine((n) => n !== 'evm', 'is what `merchant set-xpub --chain evm` names the EVM chains\' key by; name the chain after its network, e.g. "bitcoin"'),
    kind: z.literal('utxo'),
    /** Bitcoin Core's (or Litecoin Core's) RPC, credentials in the URL: http://user:pass@host:port. */
    rpcUrl,
    nativeCurrency: code,
    /** Names the network (networks.ts): "bc", "tb", "bcrt", "ltc", "tltc", "rltc". */
    bech32Prefix: z.string().refine((p) => networkByPrefix(p) !== undefined, 'must be a bech32 prefix Payframe knows: bc, tb, bcrt (Bitcoin), ltc, tltc, rltc (Litecoin)'),
    /** SLIP-0044 coin type of the account path m/84'/coin'/0' (named in messages); the network's by default. */
    coinType: z.number().int().min(0).max(0x7fffffff).optional(),
    ...confirmations,
    pollIntervalMs: z.number().int().min(50).max(600_000).default(4000),
    /** Whether to follow the node's mempool (MEM_POOL_FOUND). */
    mempool: z.boolean().default(true),
    explorerTxUrl,
  })
  .refine(finalAfterPaid, finalAfterPaidError);

const chainSchema = z.discriminatedUnion('kind', [evmSchema, utxoSchema], { error: 'must be "evm" (the default) or "utxo"' });

const fileSchema = z.array(chainSchema).superRefine((chains, ctx) => {
  const seen = new Map<string, string>();
  const names = new Set<string>();
  chains.forEach((chain, i) => {
    // The name is the chain's identity in the database (checkpoints, payments): two chains cannot share it.
    if (names.has(chain.name)) ctx.addIssue({ code: 'custom', message: `another chain is already named ${chain.name}`, path: [i, 'name'] });
    names.add(chain.name);
    const codes = [chain.nativeCurrency, ...(chain.kind === 'utxo' ? [] : chain.tokens.map((t) => t.currency))];
    codes.forEach((c, j) => {
      if (seen.has(c)) {
        ctx.addIssue({ code: 'custom', message: `currency ${c} is already served by chain ${seen.get(c)}`, path: j === 0 ? [i, 'nativeCurrency'] : [i, 'tokens', j - 1, 'currency'] });
      }
      seen.set(c, chain.name);
    });
  });
});

/** An EVM chain's entry. */
export type ChainConfig = z.infer<typeof evmSchema>;
export type UtxoChainConfig = z.infer<typeof utxoSchema>;
export type AnyChainConfig = z.infer<typeof chainSchema>;

export function parseChains(json: unknown, source = 'CHAINS_FILE'): AnyChainConfig[] {
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${source} ${z.core.toDotPath(i.path) || '(root)'}: ${i.message}`);
    throw new Error(`invalid chain configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadChainsFile(path: string): AnyChainConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`CHAINS_FILE: cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`CHAINS_FILE: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseChains(json);
}

/** The currency rows a chain's configuration defines. */
export function chainCurrencies(chain: AnyChainConfig): Currency[] {
  const row = (code: string, decimals: number, token?: `0x${string}`): Currency => {
    const known = BUILT_IN_TABLE.find(code);
    return {
      code,
      network: chain.name,
      decimals,
      scale: Math.min(known?.scale ?? 8, decimals),
      ...(token ? { token } : {}),
      paidConfirmations: chain.paidConfirmations,
      finalConfirmations: chain.finalConfirmations,
    };
  };
  if (chain.kind === 'utxo') return [row(chain.nativeCurrency, UTXO_DECIMALS)];
  return [row(chain.nativeCurrency, chain.nativeDecimals), ...chain.tokens.map((t) => row(t.currency, t.decimals, t.contract as `0x${string}`))];
}

