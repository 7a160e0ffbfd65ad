/**
 * Which deliveries go next: those due by now that are first in line for
 * their invoice and subscription (an invoice's events arrive in order; a
 * given-up one no longer holds the later ones back), oldest due first.
 */
import type { Db } from '../db/schema';

/** Deliveries (d) with their subscription (s) and event (e). */
export const deliveriesJoined = (db: Db) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id');

export function claimDue(db: Db, now: number, limit: number, inFlight: readonly number[]) {
  return deliveriesJoined(db)
    .select([
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
    ])
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
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

/** A claimed delivery, with what sending it needs from its subscription and event. */
export type Claimed = Awaited<ReturnType<typeof claimDue>>[number];
