/**
 * The delivery worker: takes due deliveries from the outbox, signs and
 * POSTs them, and records every attempt.
 *
 * - At least once: a delivery is marked DELIVERED only after a 2xx. If the
 *   process dies mid-request the row is still PENDING and goes out again
 *   after the restart, with the same id.
 * - In order: a delivery is not attempted while an earlier one for the same
 *   invoice and subscription is still PENDING. A given-up (FAILED) one no
 *   longer holds the later ones back.
 * - Retries on Calypso's schedule (schedule.ts); after the last retry the
 *   delivery is FAILED and stays in the log for a manual redelivery.
 * - A subscription that keeps failing is marked (blockedByErrorCount), never
 *   dropped: more than 100 failed attempts within 10 minutes without a 2xx,
 *   or a delivery given up. Its deliveries keep their schedule; the next 2xx
 *   clears the mark.
 * - A rotated-out secret is erased within a minute of its grace period's end.
 * One worker per database: which deliveries are in flight is kept in memory.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../db/schema';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import { DELIVERY_TIMEOUT_MS, createHttpSender, type SendFn } from './http-send';
import { renderBody } from './payload';
import { RETRY_SCHEDULE_MS, nextAttemptAt } from './schedule';
import { signatureHeaders } from '../../contract/signatures';
import type { SecretBox } from '../secrets/secret-box';
import { forgetExpiredSecrets, signingSecrets } from './subscriptions';
import { checkTarget, type TargetPolicy } from './targets';

export const MARK_AFTER_FAILURES = 100;
export const MARK_WINDOW_MS = 10 * 60 * 1000;
/** How often the worker looks for rotated-out secrets to forget. */
const FORGET_SECRETS_EVERY_MS = 60 * 1000;
const USER_AGENT = 'Payframe-Webhooks/1';

export interface WorkerOptions {
  db: Db;
  /** Opens the subscriptions' secrets to sign with. */
  secrets: SecretBox;
  clock: Clock;
  log: Logger;
  targets: TargetPolicy;
  /** The HTTP call; node:http(s) with pinned addresses unless replaced. */
  send?: SendFn;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  /** Waits before each retry; Calypso's unless replaced (WEBHOOK_SCHEDULE_MS, for tests). */
  scheduleMs?: readonly number[];
  /** Deliveries in flight at once (each to a different invoice or subscription). */
  concurrency?: number;
  timeoutMs?: number;
}

interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responsePrefix: string | null;
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

export function createDeliveryWorker(opts: WorkerOptions) {
  const { db, secrets, clock, log, targets } = opts;
  const concurrency = opts.concurrency ?? 16;
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const random = opts.random ?? Math.random;
  const schedule = opts.scheduleMs ?? RETRY_SCHEDULE_MS;
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const sender = opts.send ? undefined : createHttpSender({ maxSockets: concurrency });
  const send = opts.send ?? sender!.send;
  const stopping = new AbortController();
  const inFlight = new Set<number>();
  /** Subscriptions with a failure recorded by this worker since their last 2xx (the claim's copy may be older). */
  const failing = new Set<number>();
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let attempts = 0;
  let forgetSecretsAt = 0;
  const idleWaiters: (() => void)[] = [];
  let poll: NodeJS.Timeout | undefined;

  /** Due deliveries that are first in line for their invoice and subscription. */
  function claimDue(limit: number) {
    const exclude = [...inFlight];
    return db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
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
      .where('d.next_attempt_at', '<=', clock.now())
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
      .$if(exclude.length > 0, (q) => q.where('d.id', 'not in', exclude))
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
      .execute();
  }
  type Claimed = Awaited<ReturnType<typeof claimDue>>[number];

  async function deliver(d: Claimed): Promise<void> {
    const startedAt = clock.now();
    const t0 = performance.now();
    let result: AttemptResult;
    try {
      result = await attempt(d, startedAt);
    } catch (err) {
      // Stopped mid-request: no answer to record; the delivery stays due for the next start.
      if (stopping.signal.aborted) return;
      const code = (err as { code?: string }).code;
      result = { ok: false, statusCode: null, error: `${code ? `${code}: ` : ''}${(err as Error).message}`, responsePrefix: null };
    }
    await record(d, result, startedAt, Math.round(performance.now() - t0));
  }

  async function attempt(d: Claimed, startedAt: number): Promise<AttemptResult> {
    const url = new URL(d.url);
    // One deadline for the whole attempt, the DNS lookup included: a slow resolver may hold a delivery's place no longer than a slow receiver.
    const deadline = new AbortController();
    let late = `the host ${url.hostname} did not resolve within ${timeoutMs / 1000} s`;
    const timer = setTimeout(() => deadline.abort(new Error(late)), timeoutMs);
    const signal = AbortSignal.any([stopping.signal, deadline.signal]);
    try {
      const target = await checkTarget(url, targets, signal);
      if (!target.ok) return { ok: false, statusCode: null, error: `refused: ${target.reason}`, responsePrefix: null };
      late = `no complete answer within ${timeoutMs / 1000} s`;
      const body = renderBody({ requestId: d.request_id, deliveryId: d.id, createdAt: d.event_created_at, level: d.level, eventType: d.event_type, data: d.data });
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signatureHeaders({ publicKey: d.public_key, ...signingSecrets(secrets, d, startedAt), id: String(d.id), timestampMs: startedAt, body }),
      };
      const response = await send({ url, addresses: target.addresses, headers, body, signal });
      return { ok: response.status >= 200 && response.status < 300, statusCode: response.status, error: null, responsePrefix: response.bodyPrefix };
    } finally {
      clearTimeout(timer);
    }
  }

  async function record(d: Claimed, r: AttemptResult, startedAt: number, durationMs: number): Promise<void> {
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

  /**
   * Fills free places with due deliveries. Each delivery that ends calls it
   * again, so the next event of an invoice goes as soon as its predecessor
   * is delivered, and a slow receiver holds only its own place.
   */
  function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    pumping = (async () => {
      if (clock.now() >= forgetSecretsAt) {
        forgetSecretsAt = clock.now() + FORGET_SECRETS_EVERY_MS;
        await forgetExpiredSecrets(db, clock.now());
      }
      do {
        pumpAgain = false;
        while (!stopping.signal.aborted && inFlight.size < concurrency) {
          const free = concurrency - inFlight.size;
          // Under load, claim for a few free places at once: one outbox query per delivery would cost more than the delivery.
          if (free < claimBatch && inFlight.size > 0) break;
          const rows = await claimDue(free);
          for (const row of rows) launch(row);
          if (rows.length < free) break;
        }
      } while (pumpAgain && !stopping.signal.aborted);
    })()
      .catch((err: unknown) => log.error('webhook outbox query failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        pumping = undefined;
        if (inFlight.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
      });
    return pumping;
  }

  function launch(row: Claimed): void {
    inFlight.add(row.id);
    void deliver(row)
      .catch((err: unknown) => log.error('webhook delivery failed', { deliveryId: row.id, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        inFlight.delete(row.id);
        attempts++;
        void pump();
      });
  }

  function idle(): Promise<void> {
    if (inFlight.size === 0 && !pumping) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    /**
     * Delivers everything due now (and what becomes due by those
     * deliveries: an invoice's next event) and resolves when nothing is left
     * in flight. Returns the number of attempts made. Tests drive the worker
     * with it under a fake clock.
     */
    async runDue(): Promise<number> {
      const before = attempts;
      await pump();
      await idle();
      return attempts - before;
    },

    /** Delivers in the background: at every wake() and at least every `pollMs`. */
    start(pollMs = 250): void {
      poll ??= setInterval(() => void pump(), pollMs);
      void pump();
    },

    /** New deliveries may be due: look now rather than at the next poll. Does nothing until started. */
    wake(): void {
      if (poll) void pump();
    },

    /** Stops, aborting requests in flight (they stay due for the next start); resolves when no database work is left. */
    async stop(): Promise<void> {
      stopping.abort();
      clearInterval(poll);
      await idle();
      sender?.close();
    },
  };
}
