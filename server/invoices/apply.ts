/**
 * The one function that changes an invoice. Inside one transaction it runs
 * the caller's write (a payment row, say), asks the state machine for the
 * outcome, and writes the invoice, its version (the checkout view the SSE
 * stream replays), its status history and its webhook events. Listeners hear
 * of the change only after it is committed.
 */
import type { Compilable, Kysely, Transaction } from 'kysely';
import type { ChainAdapter } from '../chains/adapter';
import type { ServedView } from '../checkout/checked-views';
import { checkoutView, lateWindowEnd } from '../checkout/view';
import type { Clock } from '../clock';
import type { Database, Db, InvoicesTable } from '../db/schema';
import type { Bus } from '../events/bus';
import type { Logger } from '../logger';
import type { Currency } from '../money/currencies';
import { notifyChanges } from '../cluster/invoice-changes';
import { statement, statementOf } from '../db/compile-once';
import type { BatchWrites } from '../db/group-commit';
import { onPostgres } from '../db/dialect';
import { memoOf } from '../db/transaction-memo';
import { enqueueWebhookEvents } from '../webhooks/outbox';
import { step, type InvoiceEvent, type InvoiceFacts } from './state-machine';

export type Trx = Transaction<Database>;

type ApplyResult = { ok: true; invoice: InvoicesTable } | { ok: false; reason: string };

/**
 * Applies `event` to one invoice. `write` runs first in the same
 * transaction (it records the observation the event is about); when it says
 * it changed the invoice row itself ('changed': a new quote, a new amount),
 * a new version is written even if the state stays. Returns the invoice as
 * it is afterwards, or the state machine's refusal.
 */
export type Apply = (invoiceId: string, event: InvoiceEvent, reason: string, write?: (trx: Trx) => Promise<void | 'changed'>) => Promise<ApplyResult>;

export interface Change {
  invoiceId: string;
  event: InvoiceEvent;
  reason: string;
  write?: ((trx: Trx) => Promise<void | 'changed'>) | undefined;
}

/**
 * Applies many changes (what one block does to many invoices) in one
 * transaction, each as `apply` would; listeners hear of them once it is
 * committed. One commit and one hold of the connection instead of one per
 * invoice. If the batch fails, each change is applied on its own, so that one
 * bad change cannot hold back the others.
 */
export type ApplyMany = (changes: readonly Change[]) => Promise<void>;

export interface ApplyDeps {
  db: Db;
  clock: Clock;
  bus: Bus;
  log: Logger;
  currencyOf(row: Pick<InvoicesTable, 'currency'>): Currency;
  chainOf(row: Pick<InvoicesTable, 'chain'>): ChainAdapter;
  /** This instance, named in the notifications its changes send to the others (cluster/invoice-changes.ts). */
  instanceId: string;
}

/**
 * The statements of every change, compiled once (db/compile-once.ts): a block that changes 1,000 invoices
 * runs each about 1,000 times in one transaction, and Kysely's building and compiling was a third of it.
 */
type Q = Kysely<Database>;
const invoiceById = statement((q: Q, id: string) => q.selectFrom('invoices').selectAll().where('id', '=', id));
const livePayments = statement((q: Q, invoiceId: string) =>
  q.selectFrom('payments').select(['id', 'tx_hash', 'sender', 'amount', 'block_number', 'late', 'seen_at']).where('invoice_id', '=', invoiceId).where('removed', '=', 0).orderBy('id'),
);
const tipOf = statement((q: Q, chain: string) => q.selectFrom('chain_tips').select('height').where('chain', '=', chain));
const updateInvoice = statement(
  (q: Q, state: InvoicesTable['state'], interventionType: InvoicesTable['intervention_type'], resolution: InvoicesTable['resolution'], archived: number, amountPaid: string, confirmations: number, lastDeposit: string | null, version: number, updatedAt: number, id: string) =>
    q
      .updateTable('invoices')
      .set({ state, intervention_type: interventionType, resolution, archived_by_merchant: archived, amount_paid: amountPaid, confirmations, last_deposit_hash: lastDeposit, version, updated_at: updatedAt })
      .where('id', '=', id),
);
const insertVersion = statement((q: Q, invoiceId: string, version: number, state: InvoicesTable['state'], view: string, createdAt: number) =>
  q.insertInto('invoice_versions').values({ invoice_id: invoiceId, version, state, view, created_at: createdAt }),
);
/** A status_history row: how the invoice moved, and why. */
export const insertHistory = statement(
  (q: Q, invoiceId: string, from: InvoicesTable['state'] | null, to: InvoicesTable['state'], interventionType: InvoicesTable['intervention_type'], reason: string, createdAt: number) =>
    q.insertInto('status_history').values({ invoice_id: invoiceId, from_state: from, to_state: to, intervention_type: interventionType, reason, created_at: createdAt }),
);

/**
 * Records the checkout view of `row` as its version `row.version` (now, or with `later`, among a batch's rows
 * before it commits); returns it as stored, with what readers decide with.
 */
export async function writeVersion(trx: Trx, row: InvoicesTable, currency: Currency, chain: ChainAdapter, later?: LaterRows): Promise<ServedView> {
  const view = checkoutView(row, currency, chain);
  const text = JSON.stringify(view);
  if (later) later.versions.push([row.id, row.version, row.state, text, row.updated_at]);
  else await insertVersion(trx, row.id, row.version, row.state, text, row.updated_at);
  return { text, final: view.final, lateWindowEnd: lateWindowEnd(view) };
}

/** Rows per multi-row insert at most: SQLite and PostgreSQL take far more parameters (6 × 50) in one statement. */
const ROWS = 50;
type VersionRow = [invoiceId: string, version: number, state: InvoicesTable['state'], view: string, createdAt: number];
type HistoryRow = [invoiceId: string, from: InvoicesTable['state'] | null, to: InvoicesTable['state'], interventionType: InvoicesTable['intervention_type'], reason: string, createdAt: number];

/** The insert of `n` rows of one table, compiled once per `n` (db/compile-once.ts). */
function multiRow<Row extends unknown[]>(insert: (q: Q, rows: unknown[][]) => Compilable<unknown>, width: number) {
  const byCount = new Map<number, (q: Q, ...values: unknown[]) => Promise<unknown[]>>();
  return (q: Q, rows: Row[]) => {
    let run = byCount.get(rows.length);
    if (!run) {
      const n = rows.length;
      byCount.set(n, (run = statementOf(n * width, (q: Q, ...v: unknown[]) => insert(q, Array.from({ length: n }, (_, i) => v.slice(i * width, i * width + width))))));
    }
    return run(q, ...rows.flat());
  };
}
const insertVersions = multiRow<VersionRow>(
  (q, rows) => q.insertInto('invoice_versions').values(rows.map(([invoice_id, version, state, view, created_at]) => ({ invoice_id, version, state, view, created_at }) as never)),
  5,
);
const insertHistories = multiRow<HistoryRow>(
  (q, rows) =>
    q.insertInto('status_history').values(rows.map(([invoice_id, from_state, to_state, intervention_type, reason, created_at]) => ({ invoice_id, from_state, to_state, intervention_type, reason, created_at }) as never)),
  6,
);

/**
 * The versions and status history rows of a batch of changes (applyMany: a block's; a group commit's batch of
 * created invoices, through batchWrites), inserted together before it commits, up to 50 rows a statement
 * instead of one: a history row took 8–9 µs alone and about 5 so, a version 5–7 and about 4 (one-off).
 * Nothing in the batch reads them back; their order is kept (a history row's id is its place in the
 * invoice's history).
 */
export class LaterRows implements BatchWrites {
  readonly versions: VersionRow[] = [];
  readonly history: HistoryRow[] = [];

  async write(trx: Trx): Promise<void> {
    for (let i = 0; i < this.versions.length; i += ROWS) await insertVersions(trx, this.versions.slice(i, i + ROWS));
    for (let i = 0; i < this.history.length; i += ROWS) await insertHistories(trx, this.history.slice(i, i + ROWS));
  }
}

export function createApply(deps: ApplyDeps): { apply: Apply; applyMany: ApplyMany } {
  const { db, clock, bus } = deps;
  const publish = (changed: Changed[]) => {
    for (const { row, webhooks, view } of changed) bus.publish({ invoiceId: row.id, version: row.version, state: row.state, webhooks, view });
  };
  const apply: Apply = async (invoiceId, event, reason, write) => {
    const changed: Changed[] = [];
    const result = await db.transaction().execute(async (trx) => {
      const result = await applyIn(deps, trx, clock.now(), { invoiceId, event, reason, write }, changed);
      await notifyChanges(trx, rowsOf(changed), deps.instanceId);
      return result;
    });
    publish(changed);
    return result;
  };
  const applyMany: ApplyMany = async (changes) => {
    if (changes.length === 0) return;
    if (changes.length === 1) {
      const [c] = changes;
      await apply(c!.invoiceId, c!.event, c!.reason, c!.write);
      return;
    }
    const changed: Changed[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const later = new LaterRows();
        for (const change of changes) await applyIn(deps, trx, now, change, changed, later);
        await later.write(trx);
        await notifyChanges(trx, rowsOf(changed), deps.instanceId);
      });
    } catch {
      let failure: { err: unknown } | undefined;
      for (const c of changes) await apply(c.invoiceId, c.event, c.reason, c.write).catch((err: unknown) => (failure ??= { err }));
      if (failure) throw failure.err;
      return;
    }
    publish(changed);
  };
  return { apply, applyMany };
}

/** An invoice a transaction changed, its new version's view, and whether the change put webhook deliveries in the outbox. */
interface Changed {
  row: InvoicesTable;
  view: ServedView;
  webhooks: boolean;
}
const rowsOf = (changed: Changed[]) => changed.map((c) => c.row);

/** One change inside `trx`; a row it changed is added to `changed`. */
async function applyIn(
  { log, currencyOf, chainOf }: ApplyDeps,
  trx: Trx,
  now: number,
  { invoiceId, event, reason, write }: Change,
  changed: Changed[],
  later?: LaterRows,
): Promise<ApplyResult> {
  // PostgreSQL (READ COMMITTED, several instances): the invoice's row lock orders every change to it, so the
  // read below and the version written from it cannot interleave with another's. SQLite's BEGIN IMMEDIATE
  // already makes each transaction the only writer.
  if (onPostgres(trx)) await trx.selectFrom('invoices').select('id').where('id', '=', invoiceId).forUpdate().execute();
  const wrote = write ? await write(trx) : undefined;
  const [row] = await invoiceById(trx, invoiceId);
  if (!row) throw new Error(`no invoice ${invoiceId} to change`);
  const payments = await livePayments(trx, invoiceId);
  // Changes do not move the tip (ChainSink.tip writes it before applying what it moves).
  const [tip] = await memoOf(trx).get(`tip:${row.chain}`, () => tipOf(trx, row.chain));
  const live = payments.map((p) => ({
    id: p.id,
    txHash: p.tx_hash,
    seenAt: p.seen_at,
    sender: p.sender,
    amount: BigInt(p.amount),
    // A block above the tip belongs to a branch the chain has left: unconfirmed again.
    confirmations: p.block_number === null || !tip ? 0 : Math.max(0, tip.height - p.block_number + 1),
    late: p.late === 1,
  }));
  const facts: InvoiceFacts = {
    state: row.state,
    interventionType: row.intervention_type,
    resolution: row.resolution,
    archivedByMerchant: row.archived_by_merchant === 1,
    amount: BigInt(row.amount),
    overpayTolerance: BigInt(row.overpay_tolerance),
    expiresAt: row.expires_at,
    paidConfirmations: row.paid_confirmations,
    finalConfirmations: row.final_confirmations,
    payments: live,
  };
  const outcome = step(facts, event, now);
  if (!outcome.ok) {
    // A merchant's decision may be refused (a 409); an observation never should be.
    if (event.type === 'OBSERVED' || event.type === 'TICK') log.error('state machine refused an observation', { invoiceId, reason: outcome.reason });
    return outcome;
  }
  const { next } = outcome;
  const fields = {
    state: next.state,
    intervention_type: next.interventionType,
    resolution: next.resolution,
    archived_by_merchant: next.archivedByMerchant ? 1 : 0,
    amount_paid: live.reduce((sum, p) => sum + p.amount, 0n).toString(),
    // Counting stops at the final depth: beyond it nothing changes, so no new version per block.
    confirmations: live.length === 0 ? 0 : Math.min(row.final_confirmations, ...live.map((p) => p.confirmations)),
    last_deposit_hash: payments.at(-1)?.tx_hash ?? null,
  };
  if (wrote !== 'changed' && (Object.keys(fields) as (keyof typeof fields)[]).every((k) => fields[k] === row[k])) {
    return { ok: true, invoice: row };
  }
  const updated: InvoicesTable = { ...row, ...fields, version: row.version + 1, updated_at: now };
  await updateInvoice(trx, fields.state, fields.intervention_type, fields.resolution, fields.archived_by_merchant, fields.amount_paid, fields.confirmations, fields.last_deposit_hash, updated.version, now, invoiceId);
  const currency = currencyOf(updated);
  const view = await writeVersion(trx, updated, currency, chainOf(updated), later);
  const webhooks = await enqueueWebhookEvents(trx, { before: row, after: updated, payments: live, currency });
  if (next.state !== row.state || next.interventionType !== row.intervention_type) {
    const history: HistoryRow = [invoiceId, row.state, next.state, next.interventionType, reason, now];
    if (later) later.history.push(history);
    else await insertHistory(trx, ...history);
  }
  changed.push({ row: updated, view, webhooks });
  return { ok: true, invoice: updated };
}
