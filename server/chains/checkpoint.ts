/**
 * A chain adapter's own record of the blocks it scanned (`chain_blocks`):
 * the newest is its checkpoint, where the scan (and a restart) continues;
 * the hashes of the last KEPT_BLOCKS are what a reorg is detected against.
 */
import type { ChainDb } from './adapter';

/** How many scanned block hashes are kept to find a fork point. */
export const KEPT_BLOCKS = 256;

export interface StoredBlock {
  number: number;
  hash: string;
}

export class Checkpoints {
  constructor(
    private readonly db: ChainDb,
    private readonly chain: string,
  ) {}

  /** The newest block scanned; undefined before the first scan. */
  latest(): Promise<StoredBlock | undefined> {
    return this.db.selectFrom('chain_blocks').select(['number', 'hash']).where('chain', '=', this.chain).orderBy('number', 'desc').limit(1).executeTakeFirst();
  }

  async hashAt(number: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('chain_blocks').select('hash').where('chain', '=', this.chain).where('number', '=', number).executeTakeFirst();
    return row?.hash;
  }

  /** The kept blocks at or below `number`, newest first. */
  atOrBelow(number: number): Promise<StoredBlock[]> {
    return this.db.selectFrom('chain_blocks').select(['number', 'hash']).where('chain', '=', this.chain).where('number', '<=', number).orderBy('number', 'desc').execute();
  }

  /** Records a scanned block (in place of another at its height) and forgets those too deep to matter. */
  async record(block: StoredBlock & { parentHash: string }): Promise<void> {
    await this.db
      .insertInto('chain_blocks')
      .values({ chain: this.chain, number: block.number, hash: block.hash, parent_hash: block.parentHash })
      .onConflict((oc) => oc.columns(['chain', 'number']).doUpdateSet({ hash: block.hash, parent_hash: block.parentHash }))
      .execute();
    await this.db.deleteFrom('chain_blocks').where('chain', '=', this.chain).where('number', '<', block.number - KEPT_BLOCKS).execute();
  }

  /** Forgets the blocks above `number`: the checkpoint moves back there. */
  async dropAbove(number: number): Promise<void> {
    await this.db.deleteFrom('chain_blocks').where('chain', '=', this.chain).where('number', '>', number).execute();
  }
}
