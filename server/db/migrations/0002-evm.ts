/** EVM chains: the merchants' extended public keys, and the blocks an adapter scanned. */
import { statements } from './statements';

export const migration = statements([
  // The merchant's extended public keys, one per chain family; invoice addresses derive from them.
  `CREATE TABLE merchant_xpubs (
    account TEXT NOT NULL REFERENCES merchants(account),
    family TEXT NOT NULL,
    xpub TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, family)
  ) STRICT`,
  // The recent blocks a chain adapter has scanned: its checkpoint, and the hashes a reorg is detected against.
  `CREATE TABLE chain_blocks (
    chain TEXT NOT NULL,
    number INTEGER NOT NULL,
    hash TEXT NOT NULL,
    parent_hash TEXT NOT NULL,
    PRIMARY KEY (chain, number)
  ) STRICT`,
  `CREATE INDEX payments_by_chain_block ON payments (chain, block_number)`,
]);
