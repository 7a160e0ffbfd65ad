/**
 * What chains report to the engine, and what they may ask it (the ChainSink
 * of chains/adapter.ts): payments seen and taken back, new tips, the
 * addresses to watch and the payments it recorded. Every change goes through
 * `apply`; the payment rows it writes are the record of what a chain saw.
 */
import { sql, type Kysely } from 'kysely';
import type { ChainSink, PaymentObservation, TransferRef } from '../chains/adapter';
import type { Clock } from '../clock';
import { statement } from '../db/compile-once';
import { onPostgres } from '../db/dialect';
import type { Database, Db, InvoicesTable } from '../db/schema';
import type { Logger } from '../logger';
import type { Apply, ApplyMany, Change } from './apply';
import { requote, type QuoteDeps } from './quote';
import { LATE_PAYMENT_WINDOW_MS } from './state-machine';

/** Within SQLite's and PostgreSQL's limits on bound parameters, with room to spare. */
const ADDRESSES_PER_QUERY = 500;

/**
 * A payment as a chain reports it: the unique key (chain, tx, position) makes it count once, ever; seeing it
 * again only moves it between mempool and blocks. A block says what the transfer really moved; the mempool
 * only guessed from the call (a fee-on-transfer token delivers less than the call names). Compiled once: a
 * block runs it for every payment in it.
 */
function upsertPayment(mined: boolean) {
  return statement(
    (q: Kysely<Database>, chain: string, txHash: string, position: number, invoiceId: string, currency: string, sender: string, amount: string, blockNumber: number | null, blockHash: string | null, seenAt: number, late: number) =>
      q
        .insertInto('payments')
        .values({ chain, tx_hash: txHash, log_index: position, invoice_id: invoiceId, currency, sender, amount, block_number: blockNumber, block_hash: blockHash, seen_at: seenAt, late, removed: 0 })
        .onConflict((oc) => oc.columns(['chain', 'tx_hash', 'log_index']).doUpdateSet({ block_number: blockNumber, block_hash: blockHash, removed: 0, ...(mined ? { amount, sender } : {}) })),
  );
}
const upsertSeen = upsertPayment(false);
const upsertMined = upsertPayment(true);

type PaidInvoice = Pick<InvoicesTable, 'id' | 'address' | 'currency' | 'state' | 'expires_at' | 'quote_expires_at' | 'amount_paid'>;

export interface ChainSinkDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  apply: Apply;
  applyMany: ApplyMany;
  quoteDeps: QuoteDeps;
}

/**
 * The addresses of `chain` to watch: its open invoices, and the expired unpaid ones, which still take a late
 * payment for a day (since `lateSince`). Read through the index on (state, expires_at), one range per state
 * (`+chain` keeps SQLite, which keeps no statistics here, from reading every invoice of the chain through the
 * unique key on (chain, address); PostgreSQL has no unary + for text, nor the need).
 */
export function watchedQuery(db: Db, chain: string, lateSince: number) {
  return db
    .selectFrom('invoices')
    .select('address')
    .where(onPostgres(db) ? sql.ref('chain') : sql<string>`+${sql.ref('chain')}`, '=', chain)
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION']),
        eb.and([eb('state', '=', 'ARCHIVED'), eb('archived_by_merchant', '=', 0), eb('resolution', 'is', null), eb('expires_at', '>', lateSince)]),
      ]),
    );
}

export function createChainSink({ db, clock, log, apply, applyMany, quoteDeps }: ChainSinkDeps): ChainSink {
  async function changePayment(ref: TransferRef, reason: string, set: { removed?: number; block_number: null; block_hash: null }): Promise<void> {
    const payment = await db
      .selectFrom('payments')
      .select(['id', 'invoice_id'])
      .where('chain', '=', ref.chain)
      .where('tx_hash', '=', ref.txHash)
      .where('log_index', '=', ref.position)
      .executeTakeFirst();
    if (!payment) return;
    await apply(payment.invoice_id, { type: 'OBSERVED' }, reason, async (trx) => {
      await trx.updateTable('payments').set(set).where('id', '=', payment.id).execute();
    });
  }

  /** The live (not removed) payments on `chain` in the mempool, or mined above a height; in the order first seen. */
  async function recordedPayments(chain: string, where: 'mempool' | { above: number }): Promise<PaymentObservation[]> {
    const rows = await db
      .selectFrom('payments')
      .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
      .select(['payments.tx_hash', 'payments.log_index', 'payments.sender', 'payments.currency', 'payments.amount', 'payments.block_number', 'payments.block_hash', 'invoices.address'])
      .where('payments.chain', '=', chain)
      .where('payments.removed', '=', 0)
      .where((eb) => (where === 'mempool' ? eb('payments.block_number', 'is', null) : eb('payments.block_number', '>', where.above)))
      .orderBy('payments.id')
      .execute();
    return rows.map((p) => ({
      chain,
      txHash: p.tx_hash,
      position: p.log_index,
      to: p.address,
      from: p.sender,
      currency: p.currency,
      amount: BigInt(p.amount),
      block: p.block_number === null ? null : { number: p.block_number, hash: p.block_hash ?? '' },
    }));
  }

  /** The invoices the observations pay, by chain and address: one query per chain and up to 500 addresses. */
  async function invoicesPaid(observations: readonly PaymentObservation[]): Promise<Map<string, PaidInvoice>> {
    const found = new Map<string, PaidInvoice>();
    for (const chain of new Set(observations.map((obs) => obs.chain))) {
      const addresses = [...new Set(observations.filter((obs) => obs.chain === chain).map((obs) => obs.to.toLowerCase()))];
      for (let i = 0; i < addresses.length; i += ADDRESSES_PER_QUERY) {
        const rows = await db
          .selectFrom('invoices')
          .select(['id', 'address', 'currency', 'state', 'expires_at', 'quote_expires_at', 'amount_paid'])
          .where('chain', '=', chain)
          .where('address', 'in', addresses.slice(i, i + ADDRESSES_PER_QUERY))
          .execute();
        for (const row of rows) found.set(`${chain}:${row.address}`, row);
      }
    }
    return found;
  }

  /**
   * What a payment observation changes, or nothing (no invoice has its address; another currency; too late).
   * `requoted` holds the invoices quoted again for an earlier observation of the same batch: its row was read
   * before, and the first payment is the one judged at the new quote.
   */
  async function paymentChange(obs: PaymentObservation, invoice: PaidInvoice | undefined, requoted: Set<string>): Promise<Change | undefined> {
    if (!invoice) return undefined;
    if (invoice.currency !== obs.currency) {
      log.warn('payment in another currency than the invoice; ignored', { invoiceId: invoice.id, txHash: obs.txHash, currency: obs.currency });
      return undefined;
    }
    const now = clock.now();
    // When the payment was made is when its block was mined, however long Payframe took to scan it
    // (after downtime, say). A mempool sighting has no block yet: it happens now.
    const paidAt = obs.block?.timestamp ?? now;
    // The window bounds which payments are taken at all; one already taken is followed to its final depth.
    if (paidAt > invoice.expires_at + LATE_PAYMENT_WINDOW_MS) {
      const known = await db
        .selectFrom('payments')
        .select('id')
        .where('chain', '=', obs.chain)
        .where('tx_hash', '=', obs.txHash)
        .where('log_index', '=', obs.position)
        .executeTakeFirst();
      if (!known) return undefined;
    }
    // The first payment to a fiat invoice after its quote expired, before the sweep quoted it again: it is
    // judged at the quote of its moment, so that quote is made now (before the payment's own transaction).
    // One seen before expiry keeps the old.
    if (invoice.quote_expires_at !== null && paidAt >= invoice.quote_expires_at && invoice.state === 'PENDING_PAYMENT' && invoice.amount_paid === '0' && !requoted.has(invoice.id)) {
      requoted.add(invoice.id);
      await requote(quoteDeps, invoice.id);
    }
    // The same boundary as the state machine's expiry: at expires_at the invoice is closed.
    const late = paidAt >= invoice.expires_at || invoice.state === 'ARCHIVED' ? 1 : 0;
    return {
      invoiceId: invoice.id,
      event: { type: 'OBSERVED' },
      reason: obs.block ? 'payment confirmed' : 'payment in mempool',
      write: async (trx) => {
        // The unique key (chain, tx, position) makes a payment count once, ever:
        // seeing it again only moves it between mempool and blocks.
        const upsert = obs.block ? upsertMined : upsertSeen;
        await upsert(trx, obs.chain, obs.txHash, obs.position, invoice.id, obs.currency, obs.from, obs.amount.toString(), obs.block?.number ?? null, obs.block?.hash ?? null, now, late);
      },
    };
  }

  return {
    async payment(obs) {
      const change = await paymentChange(obs, (await invoicesPaid([obs])).get(`${obs.chain}:${obs.to.toLowerCase()}`), new Set());
      if (change) await apply(change.invoiceId, change.event, change.reason, change.write);
    },

    async payments(observations) {
      const changes: Change[] = [];
      const invoices = await invoicesPaid(observations);
      const requoted = new Set<string>();
      for (const obs of observations) {
        const change = await paymentChange(obs, invoices.get(`${obs.chain}:${obs.to.toLowerCase()}`), requoted);
        if (change) changes.push(change);
      }
      await applyMany(changes);
    },

    removed: (ref) => changePayment(ref, 'payment removed by reorg', { removed: 1, block_number: null, block_hash: null }),
    unconfirmed: (ref) => changePayment(ref, 'payment back to mempool by reorg', { block_number: null, block_hash: null }),

    async watchedAddresses(chain, asOfMs = clock.now()) {
      return (await watchedQuery(db, chain, asOfMs - LATE_PAYMENT_WINDOW_MS).execute()).map((r) => r.address);
    },

    unconfirmedPayments: (chain) => recordedPayments(chain, 'mempool'),
    paymentsAbove: (chain, height) => recordedPayments(chain, { above: height }),

    async lastTip(chain) {
      const tip = await db.selectFrom('chain_tips').select(['height', 'hash']).where('chain', '=', chain).executeTakeFirst();
      return tip ? { number: tip.height, hash: tip.hash } : null;
    },

    async tip(chain, tip) {
      await db
        .insertInto('chain_tips')
        .values({ chain, height: tip.number, hash: tip.hash })
        .onConflict((oc) => oc.column('chain').doUpdateSet({ height: tip.number, hash: tip.hash }))
        .execute();
      // Only an invoice with a payment not yet at its final depth (or above a
      // lowered tip, after a reorg) can change with the chain's height.
      const moving = await db
        .selectFrom('payments')
        .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
        .select('payments.invoice_id as id')
        .distinct()
        .where('payments.chain', '=', chain)
        .where('payments.removed', '=', 0)
        .where('payments.block_number', 'is not', null)
        .where(sql<boolean>`payments.block_number > ${tip.number} - invoices.final_confirmations`)
        .where('invoices.state', 'in', ['MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION'])
        .execute();
      await applyMany(moving.map(({ id }) => ({ invoiceId: id, event: { type: 'OBSERVED' } as const, reason: `block ${tip.number}` })));
    },
  };
}
