/**
 * The transfers the EVM adapter reported from the mempool, or that a reorg
 * put back there, and has not yet seen in a block; by transaction. Each is
 * settled in the end: taken by a block scan, or withdrawn because its
 * transaction left the mempool unmined or was mined without paying.
 */
import { TransactionNotFoundError, type Hex, type PublicClient } from 'viem';
import type { ChainSink } from '../adapter';
import { observation, pendingTransfers, type ScanContext, type ScanTx, type Transfer } from './scan';

export interface PendingDeps {
  chain: string;
  client: PublicClient;
  sink: ChainSink;
  ctx: ScanContext;
}

export class PendingTransfers {
  private readonly byTx = new Map<string, Transfer[]>();

  constructor(private readonly deps: PendingDeps) {}

  /** Follows a transfer again (after a restart, or out of an orphaned block), in place of one at its position. */
  add(t: Transfer): void {
    this.byTx.set(t.txHash, [...(this.byTx.get(t.txHash) ?? []).filter((o) => o.position !== t.position), t]);
  }

  /** Reports the pending block's new transfers to watched addresses; returns the hashes of its transactions that pay one. */
  async scanMempool(): Promise<Set<string>> {
    const seen = new Set<string>();
    let txs: readonly ScanTx[];
    try {
      const block = await this.deps.client.getBlock({ blockTag: 'pending', includeTransactions: true });
      txs = block.transactions as unknown as ScanTx[];
    } catch {
      return seen; // The node offers no pending block; payments show up when mined.
    }
    for (const tx of txs) {
      const transfers = pendingTransfers(tx, this.deps.ctx);
      if (transfers.length === 0) continue;
      seen.add(tx.hash);
      if (this.byTx.has(tx.hash)) continue;
      this.byTx.set(tx.hash, transfers);
      await this.deps.sink.payments(transfers.map((t) => observation(this.deps.chain, t, null)));
    }
    return seen;
  }

  /**
   * A block made `txHash`'s transfers at `positions`. The block is authoritative: a position the
   * mempool reported and the block did not (a fee-on-transfer token logs the fee first, moving the
   * payee's transfer to position 1) did not happen.
   */
  async mined(txHash: string, positions: ReadonlySet<number>): Promise<void> {
    for (const t of this.byTx.get(txHash) ?? []) {
      if (!positions.has(t.position)) await this.withdraw(txHash, t);
    }
    this.byTx.delete(txHash);
  }

  /** Withdraws every transfer of `txHash`: it will never pay. */
  async drop(txHash: string): Promise<void> {
    for (const t of this.byTx.get(txHash) ?? []) await this.withdraw(txHash, t);
    this.byTx.delete(txHash);
  }

  /**
   * Withdraws pending transfers that did not happen: the transaction left the
   * mempool unmined (not in `seen`, unknown to the node), or was mined in a
   * block already scanned without paying (it reverted: a block scan takes
   * what it reports).
   */
  async settle(seen: ReadonlySet<string>, scannedTo: number): Promise<void> {
    for (const hash of [...this.byTx.keys()]) {
      if (seen.has(hash)) continue;
      const tx = await this.deps.client.getTransaction({ hash: hash as Hex }).catch((err: unknown) => {
        if (err instanceof TransactionNotFoundError) return null;
        throw err;
      });
      if (tx === null || (tx.blockNumber !== null && Number(tx.blockNumber) <= scannedTo)) await this.drop(hash);
    }
  }

  private async withdraw(txHash: string, t: Transfer): Promise<void> {
    await this.deps.sink.removed({ chain: this.deps.chain, txHash, position: t.position });
  }
}
