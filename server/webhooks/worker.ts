/**
 * The delivery worker: takes due deliveries from the outbox (claim.ts),
 * sends each (attempt.ts) and records the outcome (record-attempt.ts), with
 * up to `concurrency` in flight.
 *
 * - At least once: a delivery is marked DELIVERED only after a 2xx. If the
 *   process dies mid-request the row is still PENDING and goes out again
 *   after the restart, with the same id.
 * - In order: a delivery is not attempted while an earlier one for the same
 *   invoice and subscription is still PENDING. A given-up (FAILED) one no
 *   longer holds the later ones back.
 * - Retries on Calypso's schedule (schedule.ts); after the last retry the
 *   delivery is FAILED and stays in the log for a manual redelivery.
 * - A subscription that keeps failing is marked, never dropped (record-attempt.ts).
 * - A rotated-out secret is erased within a minute of its grace period's end.
 * One worker per instance: on PostgreSQL the instances' workers share the
 *   outbox through claims with a lease (claim.ts).
 */
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Logger } from '../logger';
import type { SecretBox } from '../secrets/secret-box';
import { attemptDelivery, type AttemptResult } from './attempt';
import { claimDue, type Claimed } from './claim';
import { DELIVERY_TIMEOUT_MS, createHttpSender, type SendFn } from './http-send';
import { recordAttempt } from './record-attempt';
import { RETRY_SCHEDULE_MS } from './schedule';
import { forgetExpiredSecrets } from './subscriptions';
import type { TargetPolicy } from './targets';

/** How often the worker looks for rotated-out secrets to forget. */
const FORGET_SECRETS_EVERY_MS = 60 * 1000;

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

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

export function createDeliveryWorker(opts: WorkerOptions) {
  const { db, secrets, clock, log, targets } = opts;
  const concurrency = opts.concurrency ?? 16;
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const random = opts.random ?? Math.random;
  const schedule = opts.scheduleMs ?? RETRY_SCHEDULE_MS;
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  // Several instances (PostgreSQL): a delivery is held this long by its sender, an attempt and its record with room to spare.
  const leaseMs = timeoutMs + 10_000;
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

  async function deliver(d: Claimed): Promise<void> {
    const startedAt = clock.now();
    const t0 = performance.now();
    let result: AttemptResult;
    try {
      result = await attemptDelivery({ secrets, targets, send, timeoutMs, stopping: stopping.signal }, d, startedAt);
    } catch (err) {
      // Stopped mid-request: no answer to record; the delivery stays due for the next start.
      if (stopping.signal.aborted) return;
      const code = (err as { code?: string }).code;
      result = { ok: false, statusCode: null, error: `${code ? `${code}: ` : ''}${(err as Error).message}`, responsePrefix: null };
    }
    await recordAttempt({ db, clock, log, random, schedule, failing }, d, result, startedAt, Math.round(performance.now() - t0));
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
          const rows = await claimDue(db, clock.now(), free, [...inFlight], leaseMs);
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
