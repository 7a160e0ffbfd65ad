/**
 * Creating an invoice: the chain that takes its currency, a fresh address
 * derived from the merchant's key, and the first version, history row and
 * webhook events, in one transaction. The same idempotency key with the same
 * request returns the invoice it created; with another request, a conflict.
 */
import { hash } from 'node:crypto';
import { MissingXpubError, type ChainAdapter } from '../chains/adapter';
import type { Clock } from '../clock';
import { notifyChanges } from '../cluster/invoice-changes';
import { insertOnce } from '../db/insert-once';
import type { Kysely } from 'kysely';
import { statement } from '../db/compile-once';
import { batchWrites, groupCommit } from '../db/group-commit';
import { memoOf } from '../db/transaction-memo';
import { timeOrderedId, uuidV7 } from '../db/time-ordered';
import type { Database, Db, InvoicesTable, MerchantSaid } from '../db/schema';
import { DomainError } from '../domain-error';
import type { Bus } from '../events/bus';
import type { Currency } from '../money/currencies';
import { enqueueWebhookEvents } from '../webhooks/outbox';
import { insertHistory, LaterRows, writeVersion, type Trx } from './apply';
import { quoteColumns, recordQuote, type FiatPrice, type Quote } from './quote';
import { DAY_MS } from './state-machine';

/** What a merchant may say of any invoice or widget it creates: its text, its id, its lifetime, its branding URLs. */
export interface MerchantInput {
  description: string;
  idempotencyKey?: string | undefined;
  externalId?: string | undefined;
  expiresAt?: number | undefined;
  returnUrl?: string | undefined;
  supportUrl?: string | undefined;
  logoUrl?: string | undefined;
  /** The checkout's language. */
  locale?: string | undefined;
}

/** Those as columns, for a row created `now` (a day to pay unless the merchant said otherwise). */
export function merchantSaid(input: MerchantInput, now: number): MerchantSaid {
  return {
    description: input.description,
    external_id: input.externalId ?? null,
    return_url: input.returnUrl ?? null,
    support_url: input.supportUrl ?? null,
    logo_url: input.logoUrl ?? null,
    locale: input.locale ?? null,
    created_at: now,
    expires_at: input.expiresAt ?? now + DAY_MS,
  };
}

export interface NewInvoice extends MerchantInput {
  units: bigint;
  currency: Currency;
  /** A SINGLE_FIAT invoice: its price and the quote `units` come from. */
  fiat?: { price: FiatPrice; quote: Quote } | undefined;
  /** The payment widget whose buyer picked the coin. */
  widgetId?: string | undefined;
}

/** The columns of a crypto-priced invoice that only fiat ones fill. */
export const CRYPTO_PRICED = {
  type: 'SINGLE',
  fiat_amount: null,
  fiat_currency: null,
  rate: null,
  rate_source: null,
  quote_expires_at: null,
  last_fiat_updated: null,
  widget_id: null,
} as const satisfies Partial<InvoicesTable>;

export interface CreateInvoiceDeps {
  db: Db;
  clock: Clock;
  bus: Bus;
  chains: readonly ChainAdapter[];
  /** This instance, named in the notification of the new invoice to the others (cluster/invoice-changes.ts). */
  instanceId: string;
}

export async function createInvoice({ db, clock, bus, chains, instanceId }: CreateInvoiceDeps, account: string, input: NewInvoice): Promise<InvoicesTable> {
  const now = clock.now();
  const chain = chains.find((c) => c.supports(input.currency));
  if (!chain) throw new DomainError('UNSUPPORTED_CURRENCY', `no configured chain accepts ${input.currency.code}`, 'currency');
  const requestHash = hashRequest(input);
  // Time-ordered, as the invoice's id: each new invoice goes to the end of the indexes on them (db/time-ordered.ts).
  const idempotencyKey = input.idempotencyKey ?? uuidV7(now);
  const { paid, final } = chain.confirmations(input.currency);
  const derive = await chain.addressDeriver(account, input.currency).catch((err: unknown) => {
    if (!(err instanceof MissingXpubError)) throw err;
    throw new DomainError('MISSING_XPUB', `${input.currency.code} is paid on ${chain.id}, and this merchant has no extended public key for it`, 'currency', err.family);
  });

  // A retry (the same key again) is answered before an address is reserved for it. Only a shortcut: what
  // makes one invoice per key is the unique key (account, idempotency_key) below.
  if (input.idempotencyKey !== undefined) {
    const existing = await existingQuery(db, account, idempotencyKey).executeTakeFirst();
    if (existing) return sameRequest(existing, requestHash);
  }
  // The index is reserved by one atomic statement and the address derived outside the invoice transaction:
  // derivation is the costliest step of creating an invoice, and inside the transaction it would hold the one
  // connection every other request waits for. An index whose invoice is then not created (a concurrent request
  // with the same key won) is never handed out: a gap of one address, like an invoice nobody pays.
  const index = await reserveIndex(db, chain.addressScope(account, input.currency));
  const address = derive(index).toLowerCase();

  let created = false;
  let webhooks = false;
  // Its commit shared with the other invoices created in the same few turns of the event loop (db/group-commit.ts).
  const row = await groupCommit(db).transaction(async (trx) => {
    // Read in the transaction, on the connection it holds: outside, the read was a transaction of its own.
    const [merchant] = await memoOf(trx).get(`tolerance:${account}`, () => overpayTolerance(trx, account));
    if (!merchant) throw new Error(`no merchant ${account}`);
    const row: InvoicesTable = {
      id: `inv_${timeOrderedId(now)}`,
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
      ...merchantSaid(input, now),
      updated_at: now,
      version: 1,
      ...(input.fiat
        ? { type: 'SINGLE_FIAT', fiat_amount: input.fiat.price.amount, fiat_currency: input.fiat.price.currency.code, ...quoteColumns(input.fiat.quote) }
        : CRYPTO_PRICED),
      widget_id: input.widgetId ?? null,
    };
    if (!(await insertOnce(trx, 'invoices', row))) return sameRequest(await existingQuery(trx, account, idempotencyKey).executeTakeFirstOrThrow(), requestHash);
    if (input.fiat) await recordQuote(trx, row.id, input.fiat.quote);
    // Written with the batch's others before it commits, when the batch runs without savepoints (db/group-commit.ts).
    const later = batchWrites(trx, 'versions and history', () => new LaterRows());
    await writeVersion(trx, row, input.currency, chain, later);
    if (later) later.history.push([row.id, null, row.state, null, 'created', now]);
    else await insertHistory(trx, row.id, null, row.state, null, 'created', now);
    webhooks = await enqueueWebhookEvents(trx, { before: null, after: row, payments: [], currency: input.currency });
    // The leader of its chain, perhaps another instance, starts watching its address (runtime.ts).
    await notifyChanges(trx, [row], instanceId);
    created = true;
    return row;
  });
  chain.watch?.(row.address);
  // Like every change, heard only once committed: the webhook worker sends INVOICE_CREATE_INVOICE now, not at its next poll.
  if (created) bus.publish({ invoiceId: row.id, version: row.version, state: row.state, webhooks });
  return row;
}

// At module level, not closures in createInvoice: run through tsx, each closure made per call also got its name set.
const existingQuery = (q: Db | Trx, account: string, idempotencyKey: string) =>
  q.selectFrom('invoices').selectAll().where('account', '=', account).where('idempotency_key', '=', idempotencyKey);

/** The invoice an idempotency key made, if this request is the same request again; a different one is a conflict. */
function sameRequest(existing: InvoicesTable, requestHash: string): InvoicesTable {
  if (existing.request_hash === requestHash) return existing;
  throw new DomainError('CONFLICT', 'already used for an invoice with a different payload', 'idempotencyKey');
}

const overpayTolerance = statement((q: Kysely<Database>, account: string) => q.selectFrom('merchants').select('overpay_tolerance_bps').where('account', '=', account));
const takeIndex = statement((q: Kysely<Database>, scope: string) =>
  q
    .insertInto('address_counters')
    .values({ scope, next_index: 1 })
    .onConflict((oc) => oc.column('scope').doUpdateSet((eb) => ({ next_index: eb('address_counters.next_index', '+', 1) })))
    .returning('next_index'),
);

/** The next address index of `scope`, taken for good. */
async function reserveIndex(db: Db, scope: string): Promise<number> {
  const [counter] = await groupCommit(db).statement((q) => takeIndex(q, scope));
  return counter!.next_index - 1;
}

/** What makes two requests with one idempotency key the same request: for a fiat invoice the price, not the amount of the moment. */
function hashRequest(input: NewInvoice): string {
  const price = input.fiat ? `${input.fiat.price.amount} ${input.fiat.price.currency.code}` : input.units.toString();
  return hashOfRequest([price, input.currency.code], input);
}

/** The digest of a create request: its own fields, then the description, externalId, expiry and branding URLs every create has. */
export function hashOfRequest(own: unknown[], common: MerchantInput): string {
  const { description, externalId, expiresAt, returnUrl, supportUrl, logoUrl, locale } = common;
  // The locale only when given: a request without one hashes as it did before locales existed, so stored keys still match.
  const fields = [...own, description, externalId ?? null, expiresAt ?? null, returnUrl ?? null, supportUrl ?? null, logoUrl ?? null, ...(locale ? [locale] : [])];
  // One call, no Hash object: this runs on every create.
  return hash('sha256', JSON.stringify(fields), 'hex');
}
