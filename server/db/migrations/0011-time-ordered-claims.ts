/**
 * The replay guard's claims (api/replay-guard.ts) kept in the order they expire: the key is (expires_at, sign)
 * instead of the Sign alone. A Sign is an HMAC, as random as a key can be, so every accepted request wrote a
 * leaf page of its own somewhere in the table, and each group commit wrote all of them to the WAL again; keyed
 * by expiry first, the requests of one moment land on the table's last page, and the prune of expired claims,
 * which the separate expiry index served, is a range at its start. The same bytes always carry the same
 * timestamp, so (expires_at, sign) is unique exactly when the Sign is.
 */
import { statements } from './statements';

export const migration = statements([
  `CREATE TABLE signed_requests_rebuilt (
    expires_at INTEGER NOT NULL,
    sign TEXT NOT NULL,
    route TEXT NOT NULL,
    PRIMARY KEY (expires_at, sign)
  ) STRICT, WITHOUT ROWID`,
  `INSERT INTO signed_requests_rebuilt (expires_at, sign, route) SELECT expires_at, sign, route FROM signed_requests`,
  `DROP TABLE signed_requests`,
  `ALTER TABLE signed_requests_rebuilt RENAME TO signed_requests`,
]);
