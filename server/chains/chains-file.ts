/**
 * CHAINS_FILE: the EVM chains Payframe watches, as a JSON list.
 *
 *   [{ "name": "ethereum", "chainId": 1, "rpcUrl": "https://…",
 *      "nativeCurrency": "ETH", "paidConfirmations": 1, "finalConfirmations": 12,
 *      "pollIntervalMs": 4000,
 *      "tokens": [{ "currency": "USDT", "contract": "0xdAC1…", "decimals": 6 }] }]
 *
 * A currency code the built-in table knows keeps its scale; any other code
 * (a new chain's coin or token) is added by configuration alone.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUILT_IN_TABLE, type Currency } from '../money/currencies';

const code = z.string().regex(/^[A-Z0-9_]{2,32}$/, 'must be an upper-case currency code such as "ETH" or "USDT_BSC"');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');

const tokenSchema = z.object({
  currency: code,
  contract: address,
  decimals: z.number().int().min(0).max(36),
});

const chainSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name such as "ethereum"')
      .refine((n) => n !== 'sandbox', 'is reserved for the sandbox chain'),
    chainId: z.number().int().positive(),
    // The adapter polls over HTTP JSON-RPC; a ws(s):// URL would fail at every poll, so it is refused here.
    rpcUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (ws:// and wss:// are not supported: Payframe polls over HTTP)' }),
    nativeCurrency: code,
    nativeDecimals: z.number().int().min(0).max(36).default(18),
    paidConfirmations: z.number().int().min(1).max(1000).default(1),
    finalConfirmations: z.number().int().min(1).max(10_000),
    pollIntervalMs: z.number().int().min(50).max(600_000).default(4000),
    /** Whether to look at the node's pending transactions (MEM_POOL_FOUND). */
    mempool: z.boolean().default(true),
    tokens: z.array(tokenSchema).default([]),
  })
  .refine((c) => c.finalConfirmations >= c.paidConfirmations, { message: 'must be at least paidConfirmations', path: ['finalConfirmations'] });

const fileSchema = z.array(chainSchema).superRefine((chains, ctx) => {
  const seen = new Map<string, string>();
  const names = new Set<string>();
  chains.forEach((chain, i) => {
    // The name is the chain's identity in the database (checkpoints, payments): two chains cannot share it.
    if (names.has(chain.name)) ctx.addIssue({ code: 'custom', message: `another chain is already named ${chain.name}`, path: [i, 'name'] });
    names.add(chain.name);
    const codes = [chain.nativeCurrency, ...chain.tokens.map((t) => t.currency)];
    codes.forEach((c, j) => {
      if (seen.has(c)) {
        ctx.addIssue({ code: 'custom', message: `currency ${c} is already served by chain ${seen.get(c)}`, path: j === 0 ? [i, 'nativeCurrency'] : [i, 'tokens', j - 1, 'currency'] });
      }
      seen.set(c, chain.name);
    });
  });
});

export type ChainConfig = z.infer<typeof chainSchema>;

export function parseChains(json: unknown, source = 'CHAINS_FILE'): ChainConfig[] {
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${source} ${z.core.toDotPath(i.path) || '(root)'}: ${i.message}`);
    throw new Error(`invalid chain configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadChainsFile(path: string): ChainConfig[] {
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
export function chainCurrencies(chain: ChainConfig): Currency[] {
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
  return [row(chain.nativeCurrency, chain.nativeDecimals), ...chain.tokens.map((t) => row(t.currency, t.decimals, t.contract as `0x${string}`))];
}

