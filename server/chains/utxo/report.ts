/**
 * From a UTXO transaction's outputs to a watched address to the payment
 * observations the engine is told of, each with its sender (senders.ts).
 */
import type { BlockRef, PaymentObservation } from '../adapter';
import type { BitcoinRpc } from './rpc';
import type { Tx } from './rpc-schema';
import type { UtxoPayment } from './scan';
import { prevoutsOf, senderOf } from './senders';

export interface ReportContext {
  chain: string;
  currency: string;
  rpc: BitcoinRpc;
}

/** The observations of `found` (outputs of `txs`), in `block` or (null) the mempool. */
export async function observations(ctx: ReportContext, found: readonly UtxoPayment[], txs: ReadonlyMap<string, Tx>, block: BlockRef | null): Promise<PaymentObservation[]> {
  const paying = [...new Set(found.map((p) => p.txid))].map((txid) => txs.get(txid)!);
  const prevouts = await prevoutsOf(ctx.rpc, paying, txs);
  const senders = new Map(paying.map((tx) => [tx.txid, senderOf(tx, prevouts, new Set(found.filter((p) => p.txid === tx.txid).map((p) => p.vout)))]));
  return found.map((p) => ({
    chain: ctx.chain,
    txHash: p.txid,
    position: p.vout,
    to: p.address,
    from: senders.get(p.txid)!,
    currency: ctx.currency,
    amount: p.units,
    block,
  }));
}
