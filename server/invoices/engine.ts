/**
 * The invoice engine. `apply` is the one function that changes an invoice:
 * inside one transaction it runs the caller's write (a payment row, say),
 * asks the state machine for the outcome, and writes the invoice, its
 * version (the checkout view the SSE stream replays) and its status history.
 * Listeners hear of the change only after it is committed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { MissingXpubError, type ChainAdapter, type ChainSink, type PaymentObservation, type TransferRef } from '../chains/adapter';
import type { Resolution } from '../../contract/enums';
import type { Clock } from '../clock';
import type { Database, Db, InvoicesTable } from '../db/schema';
import { DomainError } from '../domain-error';
import type { Bus } from '../events/bus';
import type { Logger } from '../logger';
import { checkoutView } from '../checkout/view';
import type { Currency, CurrencyTable } from '../money/currencies';
import { enqueueWebhookEvents } from '../webhooks/outbox';
import { DAY_MS, LATE_PAYMENT_WINDOW_MS, step, type InvoiceEvent, type InvoiceFacts } from './state-machine';

export interface EngineDeps {
  db: Db;
  clock: Clock;
  chains: readonly ChainAdapter[];
  currencies: CurrencyTable;
  bus: Bus;
  log: Logger;
}

export interface NewInvoice {
  units: bigint;
  currency: Currency;
  description: string;
  idempotencyKey?: string | undefined;
  externalId?: string | undefined;
  expiresAt?: number | undefined;
  returnUrl?: string | undefined;
  supportUrl?: string | undefined;
  logoUrl?: string | undefined;
}

type Trx = Transaction<Database>;

export type Engine = ReturnType<typeof createEngine>;

export function createEngine({ db, clock, chains, currencies, bus, log }: EngineDeps) {
  const chainById = new Map(chains.map((c) => [c.id, c]));

  function chainOf(row: Pick<InvoicesTable, 'chain'>): ChainAdapter {
    const chain = chainById.get(row.chain);
    if (!chain) throw new Error(`invoice on chain "${row.chain}", which is not configured`);
    return chain;
  }

  function currencyOf(row: Pick<InvoicesTable, 'currency'>): Currency {
    const currency = currencies.find(row.currency);
    if (!currency) throw new Error(`invoice in unknown currency "${row.currency}"`);
    return currency;
  }

  async function writeVersion(trx: Trx, row: InvoicesTable): Promise<void> {
    const view = checkoutView(row, currencyOf(row), chainOf(row));
    await trx
      .insertInto('invoice_versions')
      .values({ invoice_id: row.id, version: row.version, state: row.state, view: JSON.stringify(view), created_at: row.updated_at })
      .execute();
  }

  /**
   * Applies `event` to one invoice. `write` runs first in the same
   * transaction (it records the observation the event is about). Returns the
   * invoice as it is afterwards, or the state machine's refusal.
   */
  async function apply(
    invoiceId: string,
    event: InvoiceEvent,
    reason: string,
    write?: (trx: Trx) => Promise<void>,
  ): Promise<{ ok: true; invoice: InvoicesTable } | { ok: false; reason: string }> {
    const now = clock.now();
    let changed: InvoicesTable | undefined;
    const result = await db.transaction().execute(async (trx) => {
      if (write) await write(trx);
      const row = await trx.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
      const payments = await trx
        .selectFrom('payments')
        .select(['id', 'tx_hash', 'sender', 'amount', 'block_number', 'late', 'seen_at'])
        .where('invoice_id', '=', invoiceId)
        .where('removed', '=', 0)
        .orderBy('id')
        .execute();
      const tip = await trx.selectFrom('chain_tips').select('height').where('chain', '=', row.chain).executeTakeFirst();
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
      if ((Object.keys(fields) as (keyof typeof fields)[]).every((k) => fields[k] === row[k])) {
        return { ok: true as const, invoice: row };
      }
      const updated: InvoicesTable = { ...row, ...fields, version: row.version + 1, updated_at: now };
      await trx
        .updateTable('invoices')
        .set({ ...fields, version: updated.version, updated_at: now })
        .where('id', '=', invoiceId)
        .execute();
      await writeVersion(trx, updated);
      await enqueueWebhookEvents(trx, { before: row, after: updated, payments: live, currency: currencyOf(updated) });
      if (next.state !== row.state || next.interventionType !== row.intervention_type) {
        await trx
          .insertInto('status_history')
          .values({ invoice_id: invoiceId, from_state: row.state, to_state: next.state, intervention_type: next.interventionType, reason, created_at: now })
          .execute();
      }
      changed = updated;
      return { ok: true as const, invoice: updated };
    });
    if (changed) bus.publish({ invoiceId, version: changed.version, state: changed.state });
    return result;
  }

  async function createInvoice(account: string, input: NewInvoice): Promise<InvoicesTable> {
    const now = clock.now();
    const chain = chains.find((c) => c.supports(input.currency));
    if (!chain) throw new DomainError('UNSUPPORTED_CURRENCY', `no configured chain accepts ${input.currency.code}`, 'currency');
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify([
          input.units.toString(),
          input.currency.code,
          input.description,
          input.externalId ?? null,
          input.expiresAt ?? null,
          input.returnUrl ?? null,
          input.supportUrl ?? null,
          input.logoUrl ?? null,
        ]),
      )
      .digest('hex');
    const idempotencyKey = input.idempotencyKey ?? crypto.randomUUID();
    const merchant = await db.selectFrom('merchants').select('overpay_tolerance_bps').where('account', '=', account).executeTakeFirstOrThrow();
    const { paid, final } = chain.confirmations(input.currency);
    const derive = await chain.addressDeriver(account).catch((err: unknown) => {
      if (!(err instanceof MissingXpubError)) throw err;
      throw new DomainError('MISSING_XPUB', `${input.currency.code} is paid on ${chain.id}, and this merchant has no extended public key for it`, 'currency', 'evm');
    });

    let created = false;
    const row = await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('invoices')
        .selectAll()
        .where('account', '=', account)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (existing) {
        if (existing.request_hash === requestHash) return existing;
        throw new DomainError('CONFLICT', 'already used for an invoice with a different payload', 'idempotencyKey');
      }
      const scope = chain.addressScope(account);
      const counter = await trx
        .insertInto('address_counters')
        .values({ scope, next_index: 1 })
        .onConflict((oc) => oc.column('scope').doUpdateSet((eb) => ({ next_index: eb('address_counters.next_index', '+', 1) })))
        .returning('next_index')
        .executeTakeFirstOrThrow();
      const index = counter.next_index - 1;
      const address = derive(index).toLowerCase();
      const row: InvoicesTable = {
        id: `inv_${randomBytes(16).toString('base64url')}`,
        account,
        idempotency_key: idempotencyKey,
        request_hash: requestHash,
        currency: input.currency.code,
        network: input.currency.network,
        chain: chain.id,
        address,
        address_index: index,
        amount: input.units.toString(),
        amount_paid: '0',
        overpay_tolerance: ((input.units * BigInt(merchant.overpay_tolerance_bps)) / 10_000n).toString(),
        state: 'PENDING_PAYMENT',
        intervention_type: null,
        resolution: null,
        archived_by_merchant: 0,
        confirmations: 0,
        paid_confirmations: paid,
        final_confirmations: final,
        last_deposit_hash: null,
        description: input.description,
        external_id: input.externalId ?? null,
        return_url: input.returnUrl ?? null,
        support_url: input.supportUrl ?? null,
        logo_url: input.logoUrl ?? null,
        created_at: now,
        expires_at: input.expiresAt ?? now + DAY_MS,
        updated_at: now,
        version: 1,
      };
      await trx.insertInto('invoices').values(row).execute();
      await writeVersion(trx, row);
      await trx
        .insertInto('status_history')
        .values({ invoice_id: row.id, from_state: null, to_state: row.state, intervention_type: null, reason: 'created', created_at: now })
        .execute();
      await enqueueWebhookEvents(trx, { before: null, after: row, payments: [], currency: input.currency });
      created = true;
      return row;
    });
    chain.watch?.(row.address);
    // Like every change, heard only once committed: the webhook worker sends INVOICE_CREATE_INVOICE now, not at its next poll.
    if (created) bus.publish({ invoiceId: row.id, version: row.version, state: row.state });
    return row;
  }

  async function findOwned(account: string, id: string): Promise<InvoicesTable> {
    const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).where('account', '=', account).executeTakeFirst();
    if (!row) throw new DomainError('NOT_FOUND', 'no invoice with this id', 'id');
    return row;
  }

  async function decide(account: string, id: string, event: InvoiceEvent, reason: string): Promise<InvoicesTable> {
    await findOwned(account, id);
    const result = await apply(id, event, reason);
    if (!result.ok) throw new DomainError('INVALID_STATE', result.reason);
    return result.invoice;
  }

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

  const sink: ChainSink = {
    async payment(obs: PaymentObservation) {
      const invoice = await db
        .selectFrom('invoices')
        .select(['id', 'currency', 'state', 'expires_at'])
        .where('chain', '=', obs.chain)
        .where('address', '=', obs.to.toLowerCase())
        .executeTakeFirst();
      if (!invoice) return;
      if (invoice.currency !== obs.currency) {
        log.warn('payment in another currency than the invoice; ignored', { invoiceId: invoice.id, txHash: obs.txHash, currency: obs.currency });
        return;
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
        if (!known) return;
      }
      // The same boundary as the state machine's expiry: at expires_at the invoice is closed.
      const late = paidAt >= invoice.expires_at || invoice.state === 'ARCHIVED' ? 1 : 0;
      await apply(invoice.id, { type: 'OBSERVED' }, obs.block ? 'payment confirmed' : 'payment in mempool', async (trx) => {
        // The unique key (chain, tx, log index) makes a payment count once, ever:
        // seeing it again only moves it between mempool and blocks.
        await trx
          .insertInto('payments')
          .values({
            chain: obs.chain,
            tx_hash: obs.txHash,
            log_index: obs.position,
            invoice_id: invoice.id,
            currency: obs.currency,
            sender: obs.from.toLowerCase(),
            amount: obs.amount.toString(),
            block_number: obs.block?.number ?? null,
            block_hash: obs.block?.hash ?? null,
            seen_at: now,
            late,
            removed: 0,
          })
          .onConflict((oc) =>
            oc.columns(['chain', 'tx_hash', 'log_index']).doUpdateSet({
              block_number: obs.block?.number ?? null,
              block_hash: obs.block?.hash ?? null,
              removed: 0,
              // A block says what the transfer really moved; the mempool only guessed from the call
              // (a fee-on-transfer token delivers less than the call names).
              ...(obs.block ? { amount: obs.amount.toString(), sender: obs.from.toLowerCase() } : {}),
            }),
          )
          .execute();
      });
    },

    removed: (ref) => changePayment(ref, 'payment removed by reorg', { removed: 1, block_number: null, block_hash: null }),
    unconfirmed: (ref) => changePayment(ref, 'payment back to mempool by reorg', { block_number: null, block_hash: null }),

    async watchedAddresses(chain, asOfMs = clock.now()) {
      const lateSince = asOfMs - LATE_PAYMENT_WINDOW_MS;
      const rows = await db
        .selectFrom('invoices')
        .select('address')
        .where('chain', '=', chain)
        .where((eb) =>
          eb.or([
            eb('state', 'in', ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION']),
            // Expired unpaid invoices still take a late payment for a day.
            eb.and([eb('state', '=', 'ARCHIVED'), eb('archived_by_merchant', '=', 0), eb('resolution', 'is', null), eb('expires_at', '>', lateSince)]),
          ]),
        )
        .execute();
      return rows.map((r) => r.address);
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
      for (const { id } of moving) await apply(id, { type: 'OBSERVED' }, `block ${tip.number}`);
    },
  };

  return {
    sink,
    currencies,
    apply,
    createInvoice,
    findOwned,
    currencyOf,
    chainOf,

    async findByIdempotencyKey(account: string, key: string): Promise<InvoicesTable> {
      const row = await db
        .selectFrom('invoices')
        .selectAll()
        .where('account', '=', account)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (!row) throw new DomainError('NOT_FOUND', 'no invoice with this idempotency key', 'idempotencyKey');
      return row;
    },

    archive: (account: string, id: string) => decide(account, id, { type: 'ARCHIVE' }, 'archived by merchant'),
    resolve: (account: string, id: string, action: Resolution) =>
      decide(account, id, { type: 'RESOLVE', action }, `intervention resolved: ${action}`),

    /**
     * Archives the open invoices whose time is up and whose chain has been
     * scanned past their expiry (see ChainAdapter.scannedThrough). Run it
     * every second or so.
     */
    async expireDue(): Promise<number> {
      const due = await db
        .selectFrom('invoices')
        .select(['id', 'chain', 'expires_at'])
        .where('state', '=', 'PENDING_PAYMENT')
        .where('expires_at', '<=', clock.now())
        .execute();
      let expired = 0;
      for (const invoice of due) {
        if ((chainById.get(invoice.chain)?.scannedThrough?.() ?? Infinity) < invoice.expires_at) continue;
        await apply(invoice.id, { type: 'TICK' }, 'expired');
        expired++;
      }
      return expired;
    },

    async chainHeight(chain: string): Promise<number> {
      const tip = await db.selectFrom('chain_tips').select('height').where('chain', '=', chain).executeTakeFirst();
      return tip?.height ?? 0;
    },
  };
}
