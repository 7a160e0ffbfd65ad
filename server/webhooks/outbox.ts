/**
 * The webhook outbox. The engine calls `enqueueWebhookEvents` inside the
 * transaction that changes an invoice, so an event exists exactly when its
 * change is committed: a crash can lose neither, and the delivery worker
 * finds every event in the database however long Payframe was down.
 */
import type { Kysely, Transaction } from 'kysely';
import { statement } from '../db/compile-once';
import type { Database, InvoicesTable } from '../db/schema';
import { memoOf } from '../db/transaction-memo';
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
// Run for every change of every invoice (a block: 1,000 times in one transaction), so compiled once.
type Q = Kysely<Database>;
const creditedPayments = statement((q: Q, invoiceId: string) => q.selectFrom('payments').select(['id', 'amount']).where('invoice_id', '=', invoiceId).where('credited', '=', 1));
const setCredited = statement((q: Q, credited: number, id: number) => q.updateTable('payments').set({ credited }).where('id', '=', id));
const liveSubscriptions = statement((q: Q, account: string) =>
  q.selectFrom('webhook_subscriptions').select(['id', 'event_types']).where('account', '=', account).where('deleted_at', 'is', null).orderBy('id'),
);

/** Writes the change's webhook events and their deliveries; says whether it wrote any (only then has the worker news). */
export async function enqueueWebhookEvents(trx: Transaction<Database>, change: InvoiceChange): Promise<boolean> {
  const { before, after } = change;
  const counted = change.payments.filter((p) => p.confirmations >= after.paid_confirmations);
  let reported: { id: number; amount: bigint }[] = [];
  if (before) reported = (await creditedPayments(trx, after.id)).map((r) => ({ id: r.id, amount: BigInt(r.amount) }));
  const reportedIds = new Set(reported.map((p) => p.id));
  const countedIds = new Set(counted.map((p) => p.id));
  const received = counted.filter((p) => !reportedIds.has(p.id));
  const takenBack = reported.filter((p) => !countedIds.has(p.id));
  for (const p of received) await setCredited(trx, 1, p.id);
  for (const p of takenBack) await setCredited(trx, 0, p.id);

  const types = eventTypesFor(before && snapshot(before, sum(reported)), snapshot(after, sum(counted)));
  if (types.length === 0) return false;
  const subscriptions = await memoOf(trx).get(`subscriptions:${after.account}`, () => liveSubscriptions(trx, after.account));
  if (subscriptions.length === 0) return false;

  const ctx: EventContext = { invoice: after, currency: change.currency, payments: change.payments, received };
  let enqueued = false;
  for (const type of types) {
    const targets = subscriptions.filter((s) => eventTypesOf(s).includes(type));
    if (targets.length === 0) continue;
    enqueued = true;
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
  return enqueued;
}
