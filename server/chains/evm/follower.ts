/**
 * One round of following an EVM chain (`poll`): the mempool, the blocks from
 * the checkpoint to the node's head (at most MAX_BLOCKS_PER_POLL a round,
 * catching up after downtime), reorgs found by parent hash, and pending
 * transfers that left the mempool. It also tells how far the scan has got in
 * time (scannedThrough). The adapter's loop calls it; a failed round changes
 * nothing the next cannot redo.
 */
import type { PublicClient } from 'viem';
import type { Logger } from '../../logger';
import type { ChainSink, PaymentObservation } from '../adapter';
import type { ChainConfig } from '../chains-file';
import { scanBlock } from './block-scan';
import type { Checkpoints, StoredBlock } from '../checkpoint';
import type { PendingTransfers } from './pending';
import { forkPoint, rollback } from '../reorg';
import { blockHashAt } from './rpc';
import { transferOf, type ScanContext, type ScanTx } from './scan';
import type { WatchedAddresses } from '../watched';

/** Blocks scanned per poll before the loop comes round again (catching up after downtime). */
const MAX_BLOCKS_PER_POLL = 200;

export interface FollowerDeps {
  config: ChainConfig;
  client: PublicClient;
  sink: ChainSink;
  ctx: ScanContext;
  watched: WatchedAddresses;
  pending: PendingTransfers;
  checkpoints: Checkpoints;
  log: Logger;
  /** False once the adapter is stopping: a long catch-up stops between blocks. */
  running(): boolean;
}

export class ChainFollower {
  /** The checkpoint block's time (ms); 0 until known (after a start or a rollback, until the next poll reads it). */
  private checkpointTime = 0;
  /** The last poll reached the node's head. */
  private caughtUp = false;

  constructor(private readonly deps: FollowerDeps) {}

  /** See ChainAdapter.scannedThrough. */
  scannedThrough(): number {
    return this.caughtUp ? Infinity : this.checkpointTime;
  }

  /** The node does not answer: invoices wait to expire until the scan has seen their expiry. */
  blind(): void {
    this.caughtUp = false;
  }

  /** One round: mempool, new blocks, dropped transactions. Returns false while still behind the head. */
  async poll(): Promise<boolean> {
    const { config, client, sink, checkpoints, pending } = this.deps;
    const chain = config.name;
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    let checkpoint = await checkpoints.latest();
    if (!checkpoint) {
      // First start on this chain: follow from the head; history before Payframe knew the chain holds no invoices.
      const block = await client.getBlock({ blockNumber: BigInt(head) });
      await checkpoints.record({ number: head, hash: block.hash, parentHash: block.parentHash });
      await sink.tip(chain, { number: head, hash: block.hash });
      this.checkpointTime = Number(block.timestamp) * 1000;
      this.caughtUp = true;
      return true;
    }
    if (head < checkpoint.number) {
      // A load-balanced RPC may answer from a backend a few blocks behind, which knows no block above
      // its head. If the blocks up to its head are the ones scanned, it is lagging, not reorged: wait.
      const stored = await checkpoints.hashAt(head);
      if (stored !== undefined && stored === (await blockHashAt(client, head))) return true;
    }
    const canonical = await blockHashAt(client, checkpoint.number);
    if (canonical !== checkpoint.hash) checkpoint = await this.rollBackFrom(Math.min(checkpoint.number, head));
    // The watched set (loaded here the first time too) and scannedThrough() are judged by the checkpoint block's time.
    if (this.checkpointTime === 0) this.checkpointTime = Number((await client.getBlock({ blockNumber: BigInt(checkpoint.number) })).timestamp) * 1000;
    await this.deps.watched.refreshIfDue(sink, chain, this.checkpointTime);
    const seenPending = config.mempool ? await pending.scanMempool() : new Set<string>();
    const last = Math.min(head, checkpoint.number + MAX_BLOCKS_PER_POLL);
    for (let number = checkpoint.number + 1; number <= last && this.deps.running(); number++) {
      const block = await client.getBlock({ blockNumber: BigInt(number), includeTransactions: true });
      const parent = await checkpoints.hashAt(number - 1);
      if (parent !== undefined && block.parentHash !== parent) {
        const fork = await this.rollBackFrom(number - 1);
        number = fork.number;
        continue;
      }
      await scanBlock(
        { ...this.deps, chain },
        { number, hash: block.hash, parentHash: block.parentHash, timestamp: Number(block.timestamp) * 1000 },
        block.transactions as unknown as ScanTx[],
      );
      this.checkpointTime = Number(block.timestamp) * 1000;
    }
    await pending.settle(seenPending, Math.min(last, (await checkpoints.latest())?.number ?? last));
    this.caughtUp = last >= head;
    return last >= head;
  }

  /** Rolls back to the newest scanned block at or below `from` that the node still has. */
  private async rollBackFrom(from: number): Promise<StoredBlock> {
    const { client, pending } = this.deps;
    const deps = { ...this.deps, chain: this.deps.config.name, hashAt: (n: number) => blockHashAt(client, n), requeue: (p: PaymentObservation) => pending.add(transferOf(p)) };
    const fork = await rollback(deps, await forkPoint(deps, from));
    this.checkpointTime = 0; // the fork block's, read when next needed
    return fork;
  }
}
