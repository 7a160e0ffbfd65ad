/**
 * The shapes of Bitcoin Core's RPC answers that Payframe reads, as zod
 * schemas that also turn them into what the scanner works with: amounts as
 * bigint base units, one address per output, inputs as a tagged union.
 *
 * Written against Litecoin Core 0.21 (Bitcoin Core 0.21's RPC) and Bitcoin
 * Core since: 0.21 writes an output's address as `addresses: [a]`, 22+ as
 * `address: a`; both are read. Litecoin's MWEB (0.21.2+) adds `ismweb`
 * inputs and outputs without amount or script (their owner and value are
 * hidden by design); they are kept as such, never read as payments.
 */
import { z } from 'zod';
import { JsonNumber } from '../../../contract/lossless-json';
import { parseAmount } from '../../money/amount';
import { UTXO_DECIMALS } from './networks';

/** Keys whose JSON numbers are read from their source text (amounts), never as doubles. */
export const EXACT_KEYS: ReadonlySet<string> = new Set(['value']);

const ZERO = /^0(?:\.0+)?$/;

/**
 * Core writes every amount in whole coins with 8 decimals (UTXO_DECIMALS):
 * "48.76541801" → 4876541801n. Core always writes plain decimals with 8
 * places; parseAmount reads them as decimal text (no 15-digit limit of a
 * JSON number a client sends). Zero is a valid output value (OP_RETURN)
 * that parseAmount, made for amounts due, refuses, so it is read here.
 */
export function coinsToUnits(text: string): bigint {
  if (ZERO.test(text)) return 0n;
  const parsed = parseAmount({ text, isNumber: false }, UTXO_DECIMALS, UTXO_DECIMALS);
  if (!parsed.ok) throw new Error(`amount ${text} ${parsed.reason}`);
  return parsed.units;
}

const amount = z.instanceof(JsonNumber, { error: 'must be a number (read with the exact-amount parser)' }).transform((n, ctx) => {
  try {
    return coinsToUnits(n.text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

const scriptPubKey = z.object({
  hex: z.string(),
  type: z.string(),
  address: z.string().optional(),
  addresses: z.array(z.string()).optional(),
});

// Bitcoin Core writes no `ismweb`; Litecoin writes it on every input and output.
const txOut = z
  .object({ ismweb: z.literal(false).optional(), n: z.number().int().nonnegative(), value: amount, scriptPubKey })
  .transform(({ n, value, scriptPubKey: s }) => ({
    n,
    units: value,
    /** The output script, lower-case hex: what payments are matched by. */
    script: s.hex,
    type: s.type,
    /** The node's address for the script; absent for scripts with none (or several: bare multisig). */
    address: s.address ?? (s.addresses?.length === 1 ? s.addresses[0] : undefined),
  }));

const mwebOut = z.object({ ismweb: z.literal(true), output_id: z.string() }).transform(({ output_id }) => ({ mweb: true as const, outputId: output_id }));

const txIn = z.union([
  z.object({ coinbase: z.string() }).transform(() => ({ kind: 'coinbase' as const })),
  z.object({ txid: hash, vout: z.number().int().nonnegative() }).transform(({ txid, vout }) => ({ kind: 'spend' as const, txid, vout })),
  z.object({ ismweb: z.literal(true), output_id: z.string() }).transform(({ output_id }) => ({ kind: 'mweb' as const, outputId: output_id })),
]);

export const txSchema = z.object({
  txid: hash,
  vin: z.array(txIn),
  // Told apart by `ismweb`, so that a bad field is reported at its own path.
  vout: z.array(z.discriminatedUnion('ismweb', [txOut, mwebOut])),
});

export const blockSchema = z.object({
  hash,
  height: z.number().int().nonnegative(),
  /** -1 once the block is no longer on the best chain (a reorg orphaned it). */
  confirmations: z.number().int(),
  /** Seconds since the epoch, from the header. */
  time: z.number().int(),
  previousblockhash: hash.optional(),
  tx: z.array(txSchema),
});

/** A block's header (getblockheader, verbose): what a checkpoint and a reorg check need, without the transactions. */
export const headerSchema = z.object({
  hash,
  height: z.number().int().nonnegative(),
  time: z.number().int(),
  previousblockhash: hash.optional(),
});

export const blockchainInfoSchema = z.object({
  chain: z.string(),
  blocks: z.number().int().nonnegative(),
  headers: z.number().int().nonnegative(),
  bestblockhash: hash,
  initialblockdownload: z.boolean(),
  pruned: z.boolean(),
});

export const hashSchema = hash;
export const mempoolSchema = z.array(hash);
export const heightSchema = z.number().int().nonnegative();

export type Tx = z.output<typeof txSchema>;
export type TxIn = Tx['vin'][number];
export type TxOut = Extract<Tx['vout'][number], { units: bigint }>;
export type Block = z.output<typeof blockSchema>;
export type BlockHeader = z.output<typeof headerSchema>;
export type BlockchainInfo = z.output<typeof blockchainInfoSchema>;
