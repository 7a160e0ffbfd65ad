/**
 * The webhook outbox. The engine calls `enqueueWebhookEvents` inside the
 * transaction that changes an invoice, so an event exists exactly when its
 * change is committed: a crash can lose neither, and the delivery worker
 * finds every event in the database however long Payframe was down.
 */
import type { Transaction } from 'kysely';
import type { Database, InvoicesTable } from '../db/schema';
import { TransactionMemo } from '../db/transaction-memo';
import type { Currency } from '../money/currencies';
import { EVENT_LEVEL, eventTypesFor, type InvoiceSnapshot } from './events';
import { eventDataJson, type ChangePayment, type EventContext } from './payload';
import { eventTypesOf } from './subscriptions';

export interface InvoiceChange {
  /** Null for a new invoice. */
  before: InvoicesTable | null;
  after: InvoicesTable;
  /** The invoice's live payments after the change, with their confirmations, oldest first. */
  payments: readonly (ChangePayment & { confirmations: number })[];
  currency: Currency;
}

function snapshot(row: InvoicesTable, credited: bigint): InvoiceSnapshot {
  return {
    state: row.state,
    interventionType: row.intervention_type,
    resolution: row.resolution,
    archivedByMerchant: row.archived_by_merchant === 1,
    credited,
  };
}

const sum = (payments: readonly { amount: bigint }[]) => payments.reduce((total, p) => total + p.amount, 0n);

/**
 * Writes the change's events (see events.ts) and one delivery per event
 * per subscription of the invoice's merchant that asked for it. Deliveries
 * get increasing ids in event order, which the worker's ordering relies on.
 *
 * A payment counts as received once it has paidConfirmations; `credited`
 * marks the payments already reported, so INVOICE_FUNDS_RECEIVED_FOR_INVOICE
 * names exactly the new ones, and a reorg that takes one back unmarks it.
 */
export async function enqueueWebhookEvents(trx: Transaction<Database>, change: InvoiceChange, memo: TransactionMemo = new TransactionMemo()): Promise<void> {
  const { before, after } = change;
  const counted = change.payments.filter((p) => p.confirmations >= after.paid_confirmations);
  let reported: { id: number; amount: bigint }[] = [];
  if (before) {
    const rows = await trx.selectFrom('payments').select(['id', 'amount']).where('invoice_id', '=', after.id).where('credited', '=', 1).execute();
    reported = rows.map((r) => ({ id: r.id, amount: BigInt(r.amount) }));
  }
  const reportedIds = new Set(reported.map((p) => p.id));
  const countedIds = new Set(counted.map((p) => p.id));
  const received = counted.filter((p) => !reportedIds.has(p.id));
  const takenBack = reported.filter((p) => !countedIds.has(p.id));
  if (received.length > 0) await trx.updateTable('payments').set({ credited: 1 }).where('id', 'in', received.map((p) => p.id)).execute();
  if (takenBack.length > 0) await trx.updateTable('payments').set({ credited: 0 }).where('id', 'in', takenBack.map((p) => p.id)).execute();

  const types = eventTypesFor(before && snapshot(before, sum(reported)), snapshot(after, sum(counted)));
  if (types.length === 0) return;
  const subscriptions = await memo.get(`subscriptions:${after.account}`, () =>
    trx.selectFrom('webhook_subscriptions').select(['id', 'event_types']).where('account', '=', after.account).where('deleted_at', 'is', null).orderBy('id').execute(),
  );
  if (subscriptions.length === 0) return;

  const ctx: EventContext = { invoice: after, currency: change.currency, payments: change.payments, received };
  for (const type of types) {
    const targets = subscriptions.filter((s) => eventTypesOf(s).includes(type));
    if (targets.length === 0) continue;
    const event = await trx
      .insertInto('webhook_events')
      .values({ invoice_id: after.id, account: after.account, event_type: type, level: EVENT_LEVEL[type], data: eventDataJson(type, ctx), created_at: after.updated_at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('webhook_deliveries')
      .values(
        targets.map((s) => ({
          event_id: event.id,
          subscription_id: s.id,
          invoice_id: after.id,
          status: 'PENDING' as const,
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
