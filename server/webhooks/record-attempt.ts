/**
 * Recording an attempt's outcome, in one transaction: the attempt log row;
 * the delivery DELIVERED, rescheduled on the retry schedule or, after its
 * last retry, FAILED; and the subscription's failure count. A subscription
 * that keeps failing is marked (blockedByErrorCount), never dropped: more
 * than MARK_AFTER_FAILURES failed attempts within MARK_WINDOW_MS without a
 * 2xx, or a delivery given up. Its deliveries keep their schedule; the next
 * 2xx clears the mark.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Clock } from '../clock';
import type { Database, Db } from '../db/schema';
import type { Logger } from '../logger';
import type { AttemptResult } from './attempt';
import type { Claimed } from './claim';
import { nextAttemptAt } from './schedule';

const MARK_AFTER_FAILURES = 100;
const MARK_WINDOW_MS = 10 * 60 * 1000;

export interface RecordDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Jitter source, in [0, 1). */
  random: () => number;
  /** Waits before each retry. */
  schedule: readonly number[];
  /** Subscriptions with a failure recorded by this worker since their last 2xx (the claim's copy may be older). */
  failing: Set<number>;
}

export async function recordAttempt(deps: RecordDeps, d: Claimed, r: AttemptResult, startedAt: number, durationMs: number): Promise<void> {
  const { db, clock, log, random, schedule, failing } = deps;
  const now = clock.now();
  const marked = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: d.id,
        subscription_id: d.subscription_id,
        started_at: startedAt,
        duration_ms: durationMs,
        ok: r.ok ? 1 : 0,
        status_code: r.statusCode,
        error: r.error,
        response_prefix: r.responsePrefix,
      })
      .execute();
    const counts = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => ({
      attempts: eb('attempts', '+', 1),
      round_attempts: eb('round_attempts', '+', 1),
      last_attempt_at: startedAt,
      // The sender lets go (PostgreSQL's claims, claim.ts): a retry is due at its time, not at the lease's end.
      claimed_until: null,
    });
    if (r.ok) {
      await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({ ...counts(eb), status: 'DELIVERED', delivered_at: now }))
        .where('id', '=', d.id)
        .execute();
      // Only a subscription with failures on record has a counter to reset: most 2xx write nothing here.
      if (d.consecutive_failures > 0 || d.blocked_at !== null || failing.has(d.subscription_id)) {
        failing.delete(d.subscription_id);
        await trx.updateTable('webhook_subscriptions').set({ consecutive_failures: 0, failing_since: null, blocked_at: null }).where('id', '=', d.subscription_id).execute();
      }
      return undefined;
    }
    failing.add(d.subscription_id);
    const counted = await trx.updateTable('webhook_deliveries').set(counts).where('id', '=', d.id).returning(['round_attempts', 'status']).executeTakeFirstOrThrow();
    // A delivery cancelled meanwhile (subscription deleted) is not rescheduled.
    const next = nextAttemptAt(counted.round_attempts, now, random(), schedule);
    if (counted.status === 'PENDING') {
      await trx
        .updateTable('webhook_deliveries')
        .set(next === null ? { status: 'FAILED' } : { next_attempt_at: next })
        .where('id', '=', d.id)
        .execute();
    }
    const sub = await trx
      .updateTable('webhook_subscriptions')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1), failing_since: eb.fn.coalesce('failing_since', sql.lit(now)) }))
      .where('id', '=', d.subscription_id)
      .returning(['consecutive_failures', 'failing_since', 'blocked_at'])
      .executeTakeFirstOrThrow();
    if (sub.blocked_at !== null) return undefined;
    let reason: string | undefined;
    if (next === null && counted.status === 'PENDING') reason = `delivery ${d.id} given up after its last retry`;
    else if (sub.consecutive_failures > MARK_AFTER_FAILURES) {
      const since = Math.max(now - MARK_WINDOW_MS, sub.failing_since ?? now);
      const { count } = await trx
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('subscription_id', '=', d.subscription_id)
        .where('started_at', '>=', since)
        .where('ok', '=', 0)
        .executeTakeFirstOrThrow();
      if (count > MARK_AFTER_FAILURES) reason = `more than ${MARK_AFTER_FAILURES} failed attempts within ${MARK_WINDOW_MS / 60_000} minutes`;
    }
    if (!reason) return undefined;
    await trx.updateTable('webhook_subscriptions').set({ blocked_at: now }).where('id', '=', d.subscription_id).execute();
    return reason;
  });
  if (marked) log.warn('webhook subscription marked as failing (blockedByErrorCount)', { requestId: d.request_id, reason: marked });
}
