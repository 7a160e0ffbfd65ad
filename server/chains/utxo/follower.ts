/**
 * One round of following a UTXO chain (`poll`): the mempool's new
 * transactions, the blocks from the checkpoint to the node's head (each
 * fetched once, verbosity 2, and matched against the watched scripts), reorgs
 * found by the parent hash or a checkpoint the node no longer has, and
 * pending payments that left the mempool. The adapter's loop (poll-loop.ts)
 * calls it; a failed round changes nothing the next cannot redo.
 */
import type { Logger } from '../../logger';
import type { ChainSink, PaymentObservation } from '../adapter';
import type { Checkpoints, StoredBlock } from '../checkpoint';
import type { Round } from '../poll-loop';
import { forkPoint, rollback } from '../reorg';
import type { WatchedAddresses } from '../watched';
import type { PendingPayments } from './mempool';
import { observations, type ReportContext } from './report';
import type { UtxoNetwork } from './networks';
import type { Block } from './rpc-schema';
import { findPayments } from './scan';

/** Blocks scanned per round before the loop comes round again (catching up after downtime); a mainnet block at verbosity 2 is megabytes. */
const MAX_BLOCKS_PER_POLL = 20;

export interface UtxoFollowerDeps extends ReportContext {
  network: UtxoNetwork;
  sink: ChainSink;
  watched: WatchedAddresses;
  pending: PendingPayments;
  checkpoints: Checkpoints;
  log: Logger;
  /** Whether new mempool transactions are looked at (MEM_POOL_FOUND). */
  mempool: boolean;
  /** False once the adapter is stopping: a long catch-up stops between blocks. */
  running(): boolean;
}

export class UtxoFollower implements Round {
  /** The checkpoint block's time (ms); 0 until known (after a start or a rollback, until the next poll reads it). */
  private checkpointTime = 0;
  private caughtUp = false;
  /** The node was found to run the configured network. */
  private networkChecked = false;

  constructor(private readonly deps: UtxoFollowerDeps) {}

  /** See ChainAdapter.scannedThrough. */
  scannedThrough(): number {
    return this.caughtUp ? Infinity : this.checkpointTime;
  }

  blind(): void {
    this.caughtUp = false;
  }

  async poll(): Promise<boolean> {
    const { rpc, sink, chain, checkpoints, pending, watched } = this.deps;
    if (!this.networkChecked) await this.checkNetwork();
    // Read before the head: a transaction that leaves this list is then either in a block up to the head or gone.
    const mempool = await rpc.getRawMempool();
    const head = await rpc.getBlockCount();
    let checkpoint = await checkpoints.latest();
    if (!checkpoint) {
      // First start on this chain: follow from the head; history before Payframe knew the chain holds no invoices.
      const header = await rpc.getBlockHeader(await rpc.getBlockHash(head));
      await checkpoints.record({ number: head, hash: header.hash, parentHash: header.previousblockhash ?? '' });
      await sink.tip(chain, { number: head, hash: header.hash });
      this.checkpointTime = header.time * 1000;
      this.caughtUp = true;
      return true;
    }
    // invalidateblock, or a longer branch: the checkpoint's block left the best chain (or the chain got shorter).
    if ((await rpc.blockHashAt(checkpoint.number)) !== checkpoint.hash) checkpoint = await this.rollBackFrom(Math.min(checkpoint.number, head));
    if (this.checkpointTime === 0) this.checkpointTime = (await rpc.getBlockHeader(checkpoint.hash)).time * 1000;
    await watched.refreshIfDue(sink, chain, this.checkpointTime);
    if (this.deps.mempool) await pending.scan(mempool);
    const last = Math.min(head, checkpoint.number + MAX_BLOCKS_PER_POLL);
    for (let number = checkpoint.number + 1; number <= last && this.deps.running(); number++) {
      const hash = await rpc.blockHashAt(number);
      if (hash === undefined) break; // the chain got shorter since the head was read: the next round sees the reorg
      const block = await rpc.getBlock(hash);
      const parent = await checkpoints.hashAt(number - 1);
      if (parent !== undefined && block.previousblockhash !== parent) {
        number = (await this.rollBackFrom(number - 1)).number;
        continue;
      }
      await this.scanBlock(block);
      this.checkpointTime = block.time * 1000;
    }
    this.caughtUp = ((await checkpoints.latest())?.number ?? -1) >= head;
    if (this.caughtUp) await pending.settle(new Set(mempool));
    return this.caughtUp;
  }

  /**
   * Refuses to follow a node of another network than the configured one: its
   * addresses would never match, and a mainnet node watched as regtest (or
   * the reverse) is a configuration mistake to say, not to poll through.
   */
  private async checkNetwork(): Promise<void> {
    const { rpc, network, chain } = this.deps;
    const info = await rpc.getBlockchainInfo();
    if (!network.coreChains.includes(info.chain)) {
      throw new Error(`the node at ${rpc.endpoint} runs "${info.chain}", but chain ${chain} has bech32Prefix "${network.bech32Prefix}", a network of ${network.coreChains.map((c) => `"${c}"`).join(' or ')}; fix CHAINS_FILE or the rpcUrl`);
    }
    if (info.pruned) this.deps.log.warn(`chain ${chain}: the node is pruned; it may not return the transactions a payment spends, so some senders cannot be determined`);
    this.networkChecked = true;
  }

  /** Reports the block's payments, settles what the mempool said of them, and makes it the checkpoint. */
  private async scanBlock(block: Block): Promise<void> {
    const { sink, chain, pending, checkpoints } = this.deps;
    const ref = { number: block.height, hash: block.hash, timestamp: block.time * 1000 };
    await sink.tip(chain, ref);
    const found = findPayments(block.tx, this.deps.watched);
    if (found.length > 0) {
      const txs = new Map(block.tx.map((tx) => [tx.txid, tx]));
      await sink.payments(await observations(this.deps, found, txs, ref));
      for (const txid of new Set(found.map((p) => p.txid))) pending.mined(txid);
    }
    await checkpoints.record({ number: block.height, hash: block.hash, parentHash: block.previousblockhash ?? '' });
  }

  /** Rolls back to the newest scanned block at or below `from` that the node still has. */
  private async rollBackFrom(from: number): Promise<StoredBlock> {
    const { rpc, pending } = this.deps;
    const deps = { ...this.deps, hashAt: (n: number) => rpc.blockHashAt(n), requeue: (p: PaymentObservation) => pending.add(p) };
    const fork = await rollback(deps, await forkPoint(deps, from));
    this.checkpointTime = 0; // the fork block's, read when next needed
    return fork;
  }
}
