/**
 * Several instances on one PostgreSQL (docs/deploy.md): which instance leads
 * each role (a chain's watcher, the sweeps) until when, and until when an
 * instance holds a webhook delivery it is sending. A single SQLite process
 * leads everything and sends alone: there both stay empty.
 */
import { statements } from './statements';

export const migration = statements([
  // The holder's lease of a role, renewed every second or so by its instance; `pid` is the PostgreSQL backend of
  // the session holding the role's advisory lock, which another instance ends once the lease has run out.
  `CREATE TABLE leases (
    role TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    until INTEGER NOT NULL
  ) STRICT`,
  // A delivery being sent, until then: another instance takes it only after, should the sender have died.
  `ALTER TABLE webhook_deliveries ADD COLUMN claimed_until INTEGER`,
]);
