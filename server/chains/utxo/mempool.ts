/**
 * The UTXO adapter's view of the mempool: the payments it reported from
 * there (or that a reorg put back there) and has not yet seen in a block,
 * by transaction. Each is settled in the end: taken by a block scan, or
 * withdrawn once its transaction has left the mempool unmined (replaced,
 * double-spent, evicted). The mempool is read as a list of txids; only new
 * ones are fetched and matched, so a poll costs what changed.
 */
import type { ChainSink, PaymentObservation } from '../adapter';
import type { WatchedAddresses } from '../watched';
import { observations, type ReportContext } from './report';
import { findPayments } from './scan';
import { fetchTransactions } from './senders';

export interface MempoolDeps extends ReportContext {
  sink: ChainSink;
  watched: WatchedAddresses;
}

export class PendingPayments {
  private readonly byTx = new Map<string, PaymentObservation[]>();
  /** Mempool transactions already matched that pay no watched address. */
  private examined = new Set<string>();
  /**
   * Transactions followed since the last settle (a reorg in this round, a
   * restart): the mempool list of this round was read before, so their
   * absence from it says nothing yet; the next round's list tells.
   */
  private sinceSettle = new Set<string>();

  constructor(private readonly deps: MempoolDeps) {}

  /** Follows a payment again (after a restart, or out of an orphaned block), in place of one at its position. */
  add(p: PaymentObservation): void {
    this.byTx.set(p.txHash, [...(this.byTx.get(p.txHash) ?? []).filter((o) => o.position !== p.position), p]);
    this.sinceSettle.add(p.txHash);
  }

  /** Reports the payments of the mempool's transactions (`txids`, as getrawmempool listed them) not seen before. */
  async scan(txids: readonly string[]): Promise<void> {
    const fresh = txids.filter((txid) => !this.byTx.has(txid) && !this.examined.has(txid));
    // Forget what left the mempool: the set stays the mempool's size.
    const listed = new Set(txids);
    this.examined = new Set([...this.examined].filter((txid) => listed.has(txid)));
    if (fresh.length === 0) return;
    const txs = await fetchTransactions(this.deps.rpc, fresh);
    const found = findPayments([...txs.values()], this.deps.watched);
    for (const txid of fresh) this.examined.add(txid);
    const seen = await observations(this.deps, found, txs, null);
    for (const obs of seen) this.byTx.set(obs.txHash, [...(this.byTx.get(obs.txHash) ?? []), obs]);
    await this.deps.sink.payments(seen);
  }

  /** A block scan took the transaction's payments. */
  mined(txid: string): void {
    this.byTx.delete(txid);
  }

  /**
   * Withdraws the payments of transactions no longer in the mempool
   * (`listed`, read before the blocks were scanned up to the head): any
   * that had been mined was taken by a block scan since.
   */
  async settle(listed: ReadonlySet<string>): Promise<void> {
    const recent = this.sinceSettle;
    this.sinceSettle = new Set();
    for (const [txid, payments] of [...this.byTx]) {
      if (listed.has(txid) || recent.has(txid)) continue;
      for (const p of payments) await this.deps.sink.removed({ chain: this.deps.chain, txHash: txid, position: p.position });
      this.byTx.delete(txid);
    }
  }
}
