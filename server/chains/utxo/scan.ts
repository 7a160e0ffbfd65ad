/**
 * Finding payments in UTXO transactions: pure, no RPC. A block (or the
 * mempool's transactions) is scanned once; each output's script is looked
 * up in the map of watched scripts, so the cost per block depends on the
 * block, not on how many invoices are open.
 *
 * A payment is one output, identified by (txid, vout): several outputs or
 * transactions to an invoice are several payments that add up, and each is
 * credited once however often it is seen (mempool, block, re-mined block).
 */
import type { Tx } from './rpc-schema';

export interface UtxoPayment {
  txid: string;
  vout: number;
  /** The invoice address, as the watched map names it. */
  address: string;
  /** Base units (satoshi, litoshi). */
  units: bigint;
}

/**
 * Outputs of `txs` that pay a watched script (lower-case hex → invoice address).
 *
 * Skipped: coinbase outputs (new coins, spendable only after 100 blocks and
 * gone for good if their block is orphaned: never a buyer's payment), zero
 * values, and Litecoin MWEB outputs, whose script and amount are hidden by
 * design. An MWEB peg-out to an invoice is found in the block: it becomes an
 * ordinary output of the block's HogEx transaction (under the HogEx's txid,
 * not the txid the MWEB transaction had in the mempool).
 */
export function findPayments(txs: readonly Tx[], watched: { get(script: string): string | undefined }): UtxoPayment[] {
  const found: UtxoPayment[] = [];
  for (const tx of txs) {
    if (tx.vin[0]?.kind === 'coinbase') continue;
    for (const out of tx.vout) {
      if (!('units' in out) || out.units === 0n) continue;
      const address = watched.get(out.script);
      if (address !== undefined) found.push({ txid: tx.txid, vout: out.n, address, units: out.units });
    }
  }
  return found;
}

type UnknownInputReason =
  /** New coins: there is no sender. */
  | 'coinbase'
  /** A Litecoin MWEB input (also the HogEx's input, through which every peg-out is paid): hidden by design. */
  | 'mweb'
  /** The spent transaction was not given: the node has no -txindex and it is confirmed, or it could not be fetched. */
  | 'prevout-unavailable'
  /** The spent output's script has no address: bare multisig, bare public key, non-standard. */
  | 'no-address';

export interface InputAddresses {
  /** Distinct addresses of the outputs the inputs spend, in input order. */
  addresses: string[];
  /** Inputs whose address cannot be determined, by input index. */
  unknown: { index: number; reason: UnknownInputReason }[];
}

/**
 * The addresses a transaction spends from: for the "more than one sender"
 * rule. An input names only the output it spends (txid, vout); its address
 * is that output's, so the spent transactions must be fetched
 * (`prevoutTxids`, then getrawtransaction). Core finds a confirmed one only
 * with -txindex; without it, or for the reasons of UnknownInputReason, the
 * input's sender cannot be determined and is listed in `unknown`.
 *
 * Several addresses in one transaction are usually one wallet spending
 * several of its coins (every input is signed by its owner); whether they
 * count as one sender is for the caller to decide.
 */
export function inputAddresses(tx: Tx, prevouts: ReadonlyMap<string, Tx>): InputAddresses {
  const addresses = new Set<string>();
  const unknown: InputAddresses['unknown'] = [];
  for (const [index, input] of tx.vin.entries()) {
    if (input.kind !== 'spend') {
      unknown.push({ index, reason: input.kind });
      continue;
    }
    const spent = prevouts.get(input.txid)?.vout.find((o) => 'units' in o && o.n === input.vout);
    if (!spent) unknown.push({ index, reason: 'prevout-unavailable' });
    else if (!('units' in spent) || spent.address === undefined) unknown.push({ index, reason: 'no-address' });
    else addresses.add(spent.address);
  }
  return { addresses: [...addresses], unknown };
}

/** The transactions whose outputs `tx` spends: what inputAddresses needs fetched. */
export function prevoutTxids(tx: Tx): string[] {
  return [...new Set(tx.vin.flatMap((input) => (input.kind === 'spend' ? [input.txid] : [])))];
}
