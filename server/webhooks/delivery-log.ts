/**
 * The delivery log a merchant reads through the API: each delivery (one
 * event for one subscription) with its attempts, newest first, and manual
 * redelivery.
 */
import type { DeliveryDto } from '../../contract/subscription';
import type { DeliveryStatus } from '../../contract/enums';
import type { Db } from '../db/schema';
import { deliveriesJoined } from './claim';
import { DomainError } from '../domain-error';

/** Attempts shown per delivery: a full schedule is 20; redeliveries add more. */
const MAX_ATTEMPTS_SHOWN = 50;

export interface DeliveryFilter {
  account: string;
  deliveryId?: number | undefined;
  requestId?: string | undefined;
  invoiceId?: string | undefined;
  status?: DeliveryStatus | undefined;
  /** Deliveries with a smaller id than this (the previous page's nextCursor). */
  beforeId?: number | undefined;
  limit: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function listDeliveries(db: Db, f: DeliveryFilter): Promise<{ items: DeliveryDto[]; nextCursor: string | null }> {
  const rows = await deliveriesJoined(db)
    .select([
      'd.id',
      'd.invoice_id',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.created_at',
      's.request_id',
      'e.event_type',
    ])
    .where('s.account', '=', f.account)
    .$if(f.deliveryId !== undefined, (q) => q.where('d.id', '=', f.deliveryId!))
    .$if(f.requestId !== undefined, (q) => q.where('s.request_id', '=', f.requestId!))
    .$if(f.invoiceId !== undefined, (q) => q.where('d.invoice_id', '=', f.invoiceId!))
    .$if(f.status !== undefined, (q) => q.where('d.status', '=', f.status!))
    .$if(f.beforeId !== undefined, (q) => q.where('d.id', '<', f.beforeId!))
    .orderBy('d.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const attempts = page.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          page.map((r) => r.id),
        )
        .orderBy('id')
        .execute()
    : [];
  const byDelivery = new Map<number, typeof attempts>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id);
    if (list) list.push(a);
    else byDelivery.set(a.delivery_id, [a]);
  }
  return {
    items: page.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      invoiceId: r.invoice_id,
      eventType: r.event_type,
      status: r.status,
      attemptCount: r.attempts,
      nextAttemptDate: r.status === 'PENDING' ? iso(r.next_attempt_at) : null,
      deliveredDate: iso(r.delivered_at),
      createdDate: new Date(r.created_at).toISOString(),
      attempts: (byDelivery.get(r.id) ?? []).slice(-MAX_ATTEMPTS_SHOWN).map((a) => ({
        date: new Date(a.started_at).toISOString(),
        durationMs: a.duration_ms,
        ok: a.ok === 1,
        statusCode: a.status_code,
        error: a.error,
        response: a.response_prefix,
      })),
    })),
    nextCursor: rows.length > f.limit ? String(page.at(-1)!.id) : null,
  };
}

/**
 * Queues the delivery to go out again now, with the same id and body, and a
 * fresh retry schedule. It keeps its place in its invoice's order: later
 * deliveries of the same invoice wait for it again.
 */
export async function redeliver(db: Db, account: string, id: number, now: number): Promise<void> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.id', 's.deleted_at'])
    .where('d.id', '=', id)
    .where('s.account', '=', account)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'no webhook delivery with this id', 'id');
  if (row.deleted_at !== null) throw new DomainError('INVALID_STATE', 'the subscription of this delivery is deleted', 'id');
  await db.updateTable('webhook_deliveries').set({ status: 'PENDING', round_attempts: 0, next_attempt_at: now }).where('id', '=', id).execute();
}
