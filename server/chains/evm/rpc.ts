/** What the EVM adapter asks of the node beyond viem's calls, and how it tells of a failed call. */
import { BlockNotFoundError, TransactionReceiptNotFoundError, type PublicClient } from 'viem';

/** The hash of the node's block at `number`; undefined when the node has none there (yet). */
export async function blockHashAt(client: PublicClient, number: number): Promise<string | undefined> {
  try {
    return (await client.getBlock({ blockNumber: BigInt(number) })).hash;
  } catch (err) {
    if (err instanceof BlockNotFoundError) return undefined;
    throw err;
  }
}

/** An RPC error in one line, without the RPC URL (it often carries an API key). */
export function describeError(err: unknown): string {
  if (err instanceof TransactionReceiptNotFoundError) return 'receipt not available yet';
  const e = err as { name?: string; shortMessage?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.shortMessage ?? (e.message ?? String(err)).split('\n')[0]}`;
}
