/**
 * Reorgs, for any chain that keeps a checkpoint (checkpoint.ts): finding
 * where the node's chain left the blocks the adapter scanned, and rolling
 * the checkpoint back there.
 */
import type { Logger } from '../logger';
import type { ChainSink, PaymentObservation } from './adapter';
import { KEPT_BLOCKS, type Checkpoints, type StoredBlock } from './checkpoint';

export interface ReorgDeps {
  chain: string;
  /** The hash of the node's block at `number` on its best chain; undefined above its head. */
  hashAt(number: number): Promise<string | undefined>;
  sink: ChainSink;
  /** Follows a payment of an orphaned block again, as pending, until a block or the mempool settles it. */
  requeue(payment: PaymentObservation): void;
  checkpoints: Checkpoints;
  log: Logger;
}

/** The newest kept block at or below `from` whose hash the node still has. */
export async function forkPoint({ chain, hashAt, checkpoints, log }: ReorgDeps, from: number): Promise<StoredBlock> {
  const stored = await checkpoints.atOrBelow(from);
  for (const row of stored) {
    if ((await hashAt(row.number)) === row.hash) return row;
  }
  // Deeper than the hashes we keep: start again below all of them.
  const lowest = stored.at(-1)?.number ?? from;
  const number = Math.max(0, lowest - 1);
  const hash = (await hashAt(number)) ?? '';
  log.error(`chain ${chain}: reorg deeper than ${KEPT_BLOCKS} blocks; rescanning from ${number}`);
  await checkpoints.record({ number, hash, parentHash: '' });
  return { number, hash };
}

/**
 * Rolls the checkpoint back to `fork`; payments in orphaned blocks go back to pending until seen again.
 * The order makes a crash at any point harmless: the checkpoint above the fork is deleted only once
 * every orphaned payment is unconfirmed, so until then the next poll (or start) finds the old
 * checkpoint's hash mismatching again and redoes the rollback. Deleted first, it would leave
 * payments with block numbers that gain confirmations on the new branch.
 */
export async function rollback({ chain, sink, requeue, checkpoints, log }: ReorgDeps, fork: StoredBlock): Promise<StoredBlock> {
  log.warn(`chain ${chain}: reorg, rolling back to block ${fork.number}`);
  for (const p of await sink.paymentsAbove(chain, fork.number)) {
    requeue(p);
    await sink.unconfirmed({ chain, txHash: p.txHash, position: p.position });
  }
  await checkpoints.dropAbove(fork.number);
  await sink.tip(chain, fork);
  return fork;
}
