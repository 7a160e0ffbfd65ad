/**
 * Quotes of fiat-priced invoices (SINGLE_FIAT). A quote is a stored record:
 * the pair, the rate, its source, when the source had it, until when it
 * holds, and the crypto amount it gives (the price ÷ the rate, rounded UP to
 * the coin's scale: money/convert.ts). While nothing has been received, an
 * invoice whose quote has expired is quoted again: a new amount, a new
 * version (the open checkout shows it live), lastFiatUpdated moves. Once a
 * payment is seen the quote in force stays: a payment first seen before
 * its quote expired is judged at that quote.
 */
import type { Clock } from '../clock';
import type { Db, InvoicesTable } from '../db/schema';
import { DomainError } from '../domain-error';
import type { Logger } from '../logger';
import { fiatToCrypto, parseDecimal } from '../money/convert';
import type { Currency } from '../money/currencies';
import { parseAmount } from '../money/amount';
import { findFiat, type FiatCurrency } from '../money/fiat';
import { assetOf, type Pair } from '../rates/rate-source';
import type { Rates } from '../rates/rates';
import type { Apply, Trx } from './apply';

export interface FiatPrice {
  /** Canonical decimal text ("24.5"). */
  amount: string;
  /** The same in minor units (2450 cents). */
  minor: bigint;
  currency: FiatCurrency;
}

export interface Quote {
  pair: Pair;
  rate: string;
  source: string;
  fetchedAt: number;
  createdAt: number;
  expiresAt: number;
  /** The crypto amount, in the coin's base units. */
  units: bigint;
}

export interface QuoteDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  rates: Rates;
  /** How long a quote holds. */
  lockMs: number;
  apply: Apply;
  currencyOf(row: { currency: string }): Currency;
}

/** Reads a fiat price: `text` a decimal with at most the currency's minor units. */
export function fiatPrice(input: { text: string; isNumber: boolean }, currency: FiatCurrency): { ok: true; price: FiatPrice } | { ok: false; reason: string } {
  const parsed = parseAmount(input, currency.minorUnits, currency.minorUnits);
  if (!parsed.ok) return parsed;
  return { ok: true, price: { amount: parsed.text, minor: parsed.units, currency } };
}

/** The price an invoice row holds (written by fiatPrice, so it reads back). */
export function storedPrice(amount: string, code: string): FiatPrice {
  const currency = findFiat(code);
  const read = currency && fiatPrice({ text: amount, isNumber: false }, currency);
  if (!read?.ok) throw new Error(`an invoice holds the fiat price "${amount} ${code}", which does not read back`);
  return read.price;
}

/** A new quote of `price` in `coin`; RATE_UNAVAILABLE (a DomainError) when no source has a current rate. */
export async function quote({ rates, clock, lockMs }: Pick<QuoteDeps, 'rates' | 'clock' | 'lockMs'>, price: FiatPrice, coin: Currency): Promise<Quote> {
  const pair = { base: assetOf(coin.code), quote: price.currency.code };
  const rate = await rates.rate(pair);
  const units = fiatToCrypto(price.minor, price.currency.minorUnits, parseDecimal(rate.rate)!, coin);
  const now = clock.now();
  return { pair, rate: rate.rate, source: rate.source, fetchedAt: rate.fetchedAt, createdAt: now, expiresAt: now + lockMs, units };
}

/** The quote in force on a fiat invoice, as its row holds it; undefined for a crypto-priced one. */
export function quoteInForce(row: InvoicesTable): Quote | undefined {
  if (row.fiat_currency === null || row.rate === null || row.rate_source === null || row.quote_expires_at === null || row.last_fiat_updated === null) return undefined;
  return {
    pair: { base: assetOf(row.currency), quote: row.fiat_currency },
    rate: row.rate,
    source: row.rate_source,
    fetchedAt: row.last_fiat_updated,
    createdAt: row.last_fiat_updated,
    expiresAt: row.quote_expires_at,
    units: BigInt(row.amount),
  };
}

/** Stores `q` as the invoice's newest quote (the invoice row's own columns are the caller's to set). */
export async function recordQuote(trx: Trx, invoiceId: string, q: Quote): Promise<void> {
  await trx
    .insertInto('quotes')
    .values({
      invoice_id: invoiceId,
      base: q.pair.base,
      quote: q.pair.quote,
      rate: q.rate,
      source: q.source,
      fetched_at: q.fetchedAt,
      expires_at: q.expiresAt,
      amount: q.units.toString(),
      created_at: q.createdAt,
    })
    .execute();
}

/** The invoice columns a quote sets. */
export const quoteColumns = (q: Quote) => ({ amount: q.units.toString(), rate: q.rate, rate_source: q.source, quote_expires_at: q.expiresAt, last_fiat_updated: q.createdAt });

/**
 * Quotes one invoice again if it still may be: open, nothing received, its
 * quote expired. Returns whether it did. Without a current rate it keeps the
 * quote it has (logged) and is tried again on the next sweep.
 */
export async function requote(deps: QuoteDeps, invoiceId: string): Promise<boolean> {
  const { db, clock, log, apply } = deps;
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  if (row.fiat_amount === null || row.fiat_currency === null || row.quote_expires_at === null) return false;
  let q: Quote;
  try {
    q = await quote(deps, storedPrice(row.fiat_amount, row.fiat_currency), deps.currencyOf(row));
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    log.warn('no rate to quote an invoice again; its expired quote stays until one is available', { invoiceId, reason: err.message });
    return false;
  }
  let done = false;
  await apply(invoiceId, { type: 'OBSERVED' }, `quoted again: ${q.pair.base}_${q.pair.quote} ${q.rate} (${q.source})`, async (trx) => {
    const now = await trx.selectFrom('invoices').select(['state', 'amount_paid', 'quote_expires_at', 'account']).where('id', '=', invoiceId).executeTakeFirstOrThrow();
    const paid = await trx.selectFrom('payments').select('id').where('invoice_id', '=', invoiceId).executeTakeFirst();
    // A payment seen while the rate was fetched keeps the quote it was made at.
    if (now.state !== 'PENDING_PAYMENT' || now.amount_paid !== '0' || paid || now.quote_expires_at === null || now.quote_expires_at > clock.now()) return;
    const merchant = await trx.selectFrom('merchants').select('overpay_tolerance_bps').where('account', '=', now.account).executeTakeFirstOrThrow();
    await trx
      .updateTable('invoices')
      .set({ ...quoteColumns(q), overpay_tolerance: ((q.units * BigInt(merchant.overpay_tolerance_bps)) / 10_000n).toString() })
      .where('id', '=', invoiceId)
      .execute();
    await recordQuote(trx, invoiceId, q);
    done = true;
    return 'changed';
  });
  return done;
}

/** The open fiat invoices whose quote has expired with nothing received: read through their own index (migration 0012). */
export function dueForRequote(db: Db, now: number) {
  return db
    .selectFrom('invoices')
    .select('id')
    .where('type', '=', 'SINGLE_FIAT')
    .where('state', '=', 'PENDING_PAYMENT')
    .where('amount_paid', '=', '0')
    .where('quote_expires_at', '<=', now)
    .where('expires_at', '>', now);
}

/** Quotes again every open fiat invoice whose quote has expired with nothing received; returns how many. */
export async function requoteDue(deps: QuoteDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await dueForRequote(deps.db, now).execute();
  let count = 0;
  for (const { id } of due) if (await requote(deps, id)) count++;
  return count;
}
