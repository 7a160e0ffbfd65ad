/**
 * The webhook outbox. The engine calls `enqueueWebhookEvents` inside the
 * transaction that changes an invoice, so an event exists exactly when its
 * change is committed: a crash can lose neither, and the delivery worker
 * finds every event in the database however long Payframe was down.
 */
import type { Transaction } from 'kysely';
import type { Database, InvoicesTable } from '../db/schema';
import type { InterventionType, InvoiceState, PaymentFact, Resolution } from '../invoices/state-machine';
import type { Currency } from '../money/currencies';
import { EVENT_LEVEL, eventTypesFor, type InvoiceSnapshot } from './events';
import { eventDataJson } from './payload';
import { eventTypesOf } from './subscriptions';

export interface InvoiceChange {
  /** Null for a new invoice. */
  before: InvoicesTable | null;
  after: InvoicesTable;
  /** The invoice's live payments after the change, with their confirmations. */
  payments: readonly Pick<PaymentFact, 'amount' | 'confirmations'>[];
  currency: Currency;
}

function snapshot(row: InvoicesTable, credited: bigint): InvoiceSnapshot {
  return {
    state: row.state as InvoiceState,
    interventionType: row.intervention_type as InterventionType | null,
    resolution: row.resolution as Resolution | null,
    archivedByMerchant: row.archived_by_merchant === 1,
    credited,
  };
}

/**
 * Writes the change's events (see events.ts) and one delivery per event
 * per subscription of the invoice's merchant that asked for it. Deliveries
 * get increasing ids in event order, which the worker's ordering relies on.
 */
export async function enqueueWebhookEvents(trx: Transaction<Database>, change: InvoiceChange): Promise<void> {
  const { before, after } = change;
  const credited = change.payments.filter((p) => p.confirmations >= after.paid_confirmations).reduce((sum, p) => sum + p.amount, 0n);
  let previous = 0n;
  if (before) {
    const mark = await trx.selectFrom('webhook_invoice_marks').select('credited').where('invoice_id', '=', after.id).executeTakeFirst();
    previous = BigInt(mark?.credited ?? '0');
  }
  if (credited !== previous) {
    await trx
      .insertInto('webhook_invoice_marks')
      .values({ invoice_id: after.id, credited: credited.toString() })
      .onConflict((oc) => oc.column('invoice_id').doUpdateSet({ credited: credited.toString() }))
      .execute();
  }

  const types = eventTypesFor(before && snapshot(before, previous), snapshot(after, credited));
  if (types.length === 0) return;
  const subscriptions = await trx
    .selectFrom('webhook_subscriptions')
    .select(['id', 'event_types'])
    .where('account', '=', after.account)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  if (subscriptions.length === 0) return;

  let data: string | undefined;
  for (const type of types) {
    const targets = subscriptions.filter((s) => eventTypesOf(s).includes(type));
    if (targets.length === 0) continue;
    data ??= eventDataJson(after, change.currency);
    const event = await trx
      .insertInto('webhook_events')
      .values({ invoice_id: after.id, account: after.account, event_type: type, level: EVENT_LEVEL[type], data, created_at: after.updated_at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('webhook_deliveries')
      .values(
        targets.map((s) => ({
          event_id: event.id,
          subscription_id: s.id,
          invoice_id: after.id,
          status: 'PENDING',
          attempts: 0,
          round_attempts: 0,
          next_attempt_at: after.updated_at,
          last_attempt_at: null,
          delivered_at: null,
          created_at: after.updated_at,
        })),
      )
      .execute();
  }
}
