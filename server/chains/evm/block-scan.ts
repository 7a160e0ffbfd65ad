/**
 * Scanning one block: its native transfers that succeeded and its token
 * Transfer logs to watched addresses are reported to the engine, the block
 * settles what the mempool said of its transactions, and it becomes the
 * checkpoint. A block is scanned once; reorgs are found before (follower.ts).
 */
import { parseAbiItem, type Hex, type PublicClient } from 'viem';
import type { BlockRef, ChainSink } from '../adapter';
import type { Checkpoints } from '../checkpoint';
import type { PendingTransfers } from './pending';
import { nativeTransfers, observation, tokenTransfers, type ScanContext, type ScanTx, type Transfer } from './scan';

const TRANSFER_EVENT = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');

export interface BlockScanDeps {
  chain: string;
  client: PublicClient;
  sink: ChainSink;
  ctx: ScanContext;
  pending: PendingTransfers;
  checkpoints: Checkpoints;
}

export async function scanBlock(deps: BlockScanDeps, block: BlockRef & { parentHash: string }, txs: readonly ScanTx[]): Promise<void> {
  const { chain, client, sink, ctx, pending, checkpoints } = deps;
  const native: Transfer[] = [];
  for (const t of nativeTransfers(txs, ctx)) {
    // A reverted transaction moves no value; only its receipt tells.
    const receipt = await client.getTransactionReceipt({ hash: t.txHash });
    if (receipt.status === 'success') native.push(t);
    else await pending.drop(t.txHash);
  }
  const logs = ctx.tokens.size === 0 ? [] : await client.getLogs({ address: [...ctx.tokens.keys()] as Hex[], event: TRANSFER_EVENT, blockHash: block.hash as Hex });
  const tokens = tokenTransfers(
    logs.map((l) => ({ transactionHash: l.transactionHash, logIndex: l.logIndex, address: l.address, from: l.args.from!, to: l.args.to!, value: l.args.value! })),
    ctx,
  );
  await sink.tip(chain, { number: block.number, hash: block.hash });
  const found = [...native, ...tokens];
  await sink.payments(found.map((t) => observation(chain, t, block)));
  for (const hash of new Set(found.map((t) => t.txHash))) {
    await pending.mined(hash, new Set(found.filter((t) => t.txHash === hash).map((t) => t.position)));
  }
  await checkpoints.record(block);
}
