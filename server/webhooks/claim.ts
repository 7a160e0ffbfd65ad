/**
 * Which deliveries go next: those due by now that are first in line for
 * their invoice and subscription (an invoice's events arrive in order; a
 * given-up one no longer holds the later ones back), oldest due first.
 */
import { onPostgres } from '../db/dialect';
import type { Db } from '../db/schema';

/** Deliveries (d) with their subscription (s) and event (e). */
export const deliveriesJoined = (db: Db) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id');

const CLAIMED_COLUMNS = [
  'd.id',
  'd.subscription_id',
  'd.created_at',
  's.request_id',
  's.url',
  's.public_key',
  's.secret_key',
  's.previous_secret_key',
  's.previous_secret_until',
  's.consecutive_failures',
  's.blocked_at',
  'e.event_type',
  'e.level',
  'e.data',
  'e.created_at as event_created_at',
] as const;

/** Due deliveries first in line (none of the same invoice and subscription is PENDING before them), not in `inFlight`, oldest due first. */
function due(db: Db, now: number, inFlight: readonly number[]) {
  return deliveriesJoined(db)
    .where('d.status', '=', 'PENDING')
    .where('d.next_attempt_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as p')
            .select('p.id')
            .where('p.status', '=', 'PENDING')
            .whereRef('p.subscription_id', '=', 'd.subscription_id')
            .whereRef('p.invoice_id', '=', 'd.invoice_id')
            .whereRef('p.id', '<', 'd.id'),
        ),
      ),
    )
    .$if(inFlight.length > 0, (q) => q.where('d.id', 'not in', inFlight))
    .orderBy('d.next_attempt_at')
    .orderBy('d.id');
}

/**
 * Up to `limit` deliveries to send now, not among `inFlight` (this worker's own).
 *
 * On PostgreSQL several instances' workers claim from one outbox: a claim
 * takes its rows with FOR UPDATE SKIP LOCKED (two claims never take the same
 * row, nor wait for each other) and marks them held until `now + leaseMs`. A
 * held delivery is still PENDING, so the invoice's next one waits behind it;
 * if its sender dies, another instance takes it once the lease is over.
 */
export async function claimDue(db: Db, now: number, limit: number, inFlight: readonly number[], leaseMs: number) {
  if (!onPostgres(db)) return due(db, now, inFlight).select(CLAIMED_COLUMNS).limit(limit).execute();
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set({ claimed_until: now + leaseMs })
    .where(
      'id',
      'in',
      due(db, now, inFlight)
        .select('d.id')
        .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<=', now)]))
        .limit(limit)
        .forUpdate(['d'])
        .skipLocked(),
    )
    .returning('id')
    .execute();
  if (claimed.length === 0) return [];
  return deliveriesJoined(db).select(CLAIMED_COLUMNS).where('d.id', 'in', claimed.map((c) => c.id)).orderBy('d.next_attempt_at').orderBy('d.id').execute();
}

/** A claimed delivery, with what sending it needs from its subscription and event. */
export type Claimed = Awaited<ReturnType<typeof claimDue>>[number];
