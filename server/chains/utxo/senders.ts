/**
 * Who made a UTXO payment, as the invoice's "more than one sender" rule
 * reads it (invoices/senders.ts): the addresses its inputs spend from
 * (scan.ts inputAddresses, from the spent transactions), then the outpoints
 * it spends and its own outputs other than the invoice's. The last are its
 * change, most likely: a top-up that spends that change is the same buyer,
 * though it comes from an address the first payment never showed.
 *
 * Where no input's address can be determined (new coins, Litecoin MWEB, a
 * node without -txindex whose spent transactions are confirmed) there is no
 * sender: the payment counts neither as a second sender nor as the first's.
 */
import type { BitcoinRpc } from './rpc';
import type { Tx } from './rpc-schema';
import { inputAddresses, prevoutTxids } from './scan';

/** Transactions per getrawtransaction batch: one request each, not one per transaction, nor one of megabytes. */
const RPC_BATCH = 500;

/** The sender text of `tx`'s payments to its outputs `invoiceVouts`; '' when it cannot be determined. */
export function senderOf(tx: Tx, prevouts: ReadonlyMap<string, Tx>, invoiceVouts: ReadonlySet<number>): string {
  const { addresses } = inputAddresses(tx, prevouts);
  if (addresses.length === 0) return '';
  const spent = tx.vin.flatMap((input) => (input.kind === 'spend' ? [`${input.txid}:${input.vout}`] : []));
  const others = tx.vout.flatMap((out) => ('units' in out && !invoiceVouts.has(out.n) ? [`${tx.txid}:${out.n}`] : []));
  return [...addresses, ...spent, ...others].join(' ');
}

/** Transactions by txid, fetched in batches; those the node does not have are left out. */
export async function fetchTransactions(rpc: BitcoinRpc, txids: readonly string[]): Promise<Map<string, Tx>> {
  const found = new Map<string, Tx>();
  for (let i = 0; i < txids.length; i += RPC_BATCH) {
    for (const tx of await rpc.getRawTransactions(txids.slice(i, i + RPC_BATCH))) if (tx) found.set(tx.txid, tx);
  }
  return found;
}

/** The transactions `txs` spend from: those in `known` (the same block, the mempool), the rest from the node. */
export async function prevoutsOf(rpc: BitcoinRpc, txs: readonly Tx[], known: ReadonlyMap<string, Tx>): Promise<Map<string, Tx>> {
  const wanted = [...new Set(txs.flatMap(prevoutTxids))];
  const prevouts = await fetchTransactions(rpc, wanted.filter((txid) => !known.has(txid)));
  for (const txid of wanted) {
    const tx = known.get(txid);
    if (tx) prevouts.set(txid, tx);
  }
  return prevouts;
}
