/**
 * Reorgs: finding where the node's chain left the blocks the adapter
 * scanned, and rolling the checkpoint back there.
 */
import type { PublicClient } from 'viem';
import type { Logger } from '../../logger';
import type { ChainSink } from '../adapter';
import { KEPT_BLOCKS, type Checkpoints, type StoredBlock } from './checkpoint';
import type { PendingTransfers } from './pending';
import { blockHashAt } from './rpc';
import { transferOf } from './scan';

export interface ReorgDeps {
  chain: string;
  client: PublicClient;
  sink: ChainSink;
  pending: PendingTransfers;
  checkpoints: Checkpoints;
  log: Logger;
}

/** The newest kept block at or below `from` whose hash the node still has. */
export async function forkPoint({ chain, client, checkpoints, log }: ReorgDeps, from: number): Promise<StoredBlock> {
  const stored = await checkpoints.atOrBelow(from);
  for (const row of stored) {
    if ((await blockHashAt(client, row.number)) === row.hash) return row;
  }
  // Deeper than the hashes we keep: start again below all of them.
  const lowest = stored.at(-1)?.number ?? from;
  const number = Math.max(0, lowest - 1);
  const hash = (await blockHashAt(client, number)) ?? '';
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
export async function rollback({ chain, sink, pending, checkpoints, log }: ReorgDeps, fork: StoredBlock): Promise<StoredBlock> {
  log.warn(`chain ${chain}: reorg, rolling back to block ${fork.number}`);
  for (const p of await sink.paymentsAbove(chain, fork.number)) {
    pending.add(transferOf(p));
    await sink.unconfirmed({ chain, txHash: p.txHash, position: p.position });
  }
  await checkpoints.dropAbove(fork.number);
  await sink.tip(chain, fork);
  return fork;
}
