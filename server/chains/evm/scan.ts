/**
 * Finding payments in a block: pure, no RPC. A block is scanned once;
 * each transfer is matched against the set of watched addresses, so the
 * cost per block depends on the block, not on how many invoices are open.
 *
 * Identity of a transfer: (tx hash, position). The native value of a
 * transaction has position -1; ERC-20 transfers are numbered by their order
 * among the configured tokens' Transfer logs in that transaction. Unlike a
 * log's block-level index, this does not change when a reorg puts the
 * transaction into another block, so a payment is still credited once.
 */
import { decodeFunctionData, erc20Abi, type Hex } from 'viem';
import type { BlockRef, PaymentObservation } from '../adapter';

export const NATIVE_POSITION = -1;

export interface ScanTx {
  hash: Hex;
  from: Hex;
  to: Hex | null;
  value: bigint;
  input: Hex;
}

export interface ScanLog {
  transactionHash: Hex;
  logIndex: number;
  address: Hex;
  from: Hex;
  to: Hex;
  value: bigint;
}

export interface Transfer {
  txHash: Hex;
  position: number;
  from: string;
  to: string;
  currency: string;
  amount: bigint;
}

export interface ScanContext {
  /** Lower-case addresses of the invoices being watched. */
  watched: { has(address: string): boolean };
  nativeCurrency: string;
  /** Lower-case token contract → currency code. */
  tokens: ReadonlyMap<string, string>;
}

/** Native transfers to watched addresses. Their success must still be checked against the receipt. */
export function nativeTransfers(txs: readonly ScanTx[], ctx: ScanContext): Transfer[] {
  const found: Transfer[] = [];
  for (const tx of txs) {
    if (tx.to === null || tx.value === 0n) continue;
    const to = tx.to.toLowerCase();
    if (!ctx.watched.has(to)) continue;
    found.push({ txHash: tx.hash, position: NATIVE_POSITION, from: tx.from.toLowerCase(), to, currency: ctx.nativeCurrency, amount: tx.value });
  }
  return found;
}

/** ERC-20 Transfer logs (of configured tokens, in block order) to watched addresses. */
export function tokenTransfers(logs: readonly ScanLog[], ctx: ScanContext): Transfer[] {
  const found: Transfer[] = [];
  const ordinal = new Map<string, number>();
  const sorted = [...logs].sort((a, b) => a.logIndex - b.logIndex);
  for (const log of sorted) {
    const currency = ctx.tokens.get(log.address.toLowerCase());
    if (!currency) continue;
    const position = ordinal.get(log.transactionHash) ?? 0;
    ordinal.set(log.transactionHash, position + 1);
    const to = log.to.toLowerCase();
    if (!ctx.watched.has(to) || log.value === 0n) continue;
    found.push({ txHash: log.transactionHash, position, from: log.from.toLowerCase(), to, currency, amount: log.value });
  }
  return found;
}

/**
 * What a pending transaction will pay, as far as can be told before it is
 * mined: its native value, or a direct ERC-20 `transfer(to, value)` call
 * (which emits exactly one Transfer log: position 0).
 */
export function pendingTransfers(tx: ScanTx, ctx: ScanContext): Transfer[] {
  const found = nativeTransfers([tx], ctx);
  const currency = tx.to ? ctx.tokens.get(tx.to.toLowerCase()) : undefined;
  if (currency && tx.input.startsWith('0xa9059cbb')) {
    try {
      const { args } = decodeFunctionData({ abi: erc20Abi, data: tx.input });
      const [to, value] = args as readonly [Hex, bigint];
      if (ctx.watched.has(to.toLowerCase()) && value > 0n) {
        found.push({ txHash: tx.hash, position: 0, from: tx.from.toLowerCase(), to: to.toLowerCase(), currency, amount: value });
      }
    } catch {
      // Not a well-formed transfer call; the block scan will see what it really did.
    }
  }
  return found;
}

/** What the engine is told of a transfer found on `chain` (in `block`, or in the mempool). */
export function observation(chain: string, t: Transfer, block: BlockRef | null): PaymentObservation {
  return { chain, txHash: t.txHash, position: t.position, to: t.to, from: t.from, currency: t.currency, amount: t.amount, block };
}

/** A payment the engine recorded, as the transfer it was found as. */
export function transferOf(p: PaymentObservation): Transfer {
  return { txHash: p.txHash as Hex, position: p.position, from: p.from, to: p.to, currency: p.currency, amount: p.amount };
}
