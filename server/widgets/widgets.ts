/**
 * Payment widgets (Calypso's SINGLE_FIAT widget): the merchant creates one
 * with the coins it accepts and a fiat price; the buyer opens its page (an
 * unguessable id, never the merchant's idempotencyKey), sees each coin at a
 * quote locked for a while, and picks one: that creates — or, for a coin
 * already picked and still open, reuses — a SINGLE_FIAT invoice of the
 * widget, which the checkout then follows as any other. Going back and
 * picking another coin makes another invoice.
 */
import { randomBytes } from 'node:crypto';
import type { WidgetDto, WidgetView } from '../../contract/widget';
import type { Clock } from '../clock';
import { insertOnce } from '../db/insert-once';
import type { Db, InvoicesTable, WidgetsTable } from '../db/schema';
import { DomainError } from '../domain-error';
import { hashOfRequest, merchantSaid, type MerchantInput } from '../invoices/create-invoice';
import type { Engine } from '../invoices/engine';
import { storedPrice, type FiatPrice, type Quote } from '../invoices/quote';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import { assetOf } from '../rates/rate-source';
import { widgetState } from './widget-state';

export interface NewWidget extends MerchantInput {
  currencies: Currency[];
  price: FiatPrice;
}

export interface WidgetDeps {
  db: Db;
  clock: Clock;
  engine: Engine;
  publicUrl: string;
}

const WIDGET_ID = /^wid_[\w-]{1,64}$/;

export type Widgets = ReturnType<typeof createWidgets>;

export function createWidgets({ db, clock, engine, publicUrl }: WidgetDeps) {
  const currenciesOf = (row: WidgetsTable): string[] => JSON.parse(row.crypto_currencies) as string[];
  const invoicesOf = (widgetId: string) =>
    db.selectFrom('invoices').select(['id', 'currency', 'state', 'idempotency_key', 'external_id', 'created_at']).where('widget_id', '=', widgetId)
      // In the order the buyer created them: created_at ties within a millisecond, the insertion order does not
      // (the id of each invoice's first history row, written by its creation: both databases number those in order).
      .orderBy('created_at')
      .orderBy((eb) => eb.selectFrom('status_history').select((h) => h.fn.min('status_history.id').as('first')).whereRef('status_history.invoice_id', '=', 'invoices.id'))
      .execute();

  async function byId(id: string): Promise<WidgetsTable> {
    const row = WIDGET_ID.test(id) ? await db.selectFrom('widgets').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'no such payment widget');
    return row;
  }

  /** The quote shown for `currency` now: the stored one while it holds, else a new one (stored). RATE_UNAVAILABLE without a rate. */
  async function shownQuote(widget: WidgetsTable, currency: Currency): Promise<Quote> {
    const now = clock.now();
    const stored = await db.selectFrom('widget_quotes').selectAll().where('widget_id', '=', widget.id).where('currency', '=', currency.code).executeTakeFirst();
    if (stored && stored.expires_at > now) {
      return {
        pair: { base: assetOf(currency.code), quote: widget.fiat_currency },
        rate: stored.rate,
        source: stored.source,
        fetchedAt: stored.fetched_at,
        createdAt: stored.created_at,
        expiresAt: stored.expires_at,
        units: BigInt(stored.amount),
      };
    }
    const q = await engine.quote(storedPrice(widget.fiat_amount, widget.fiat_currency), currency);
    const values = { rate: q.rate, source: q.source, fetched_at: q.fetchedAt, created_at: q.createdAt, expires_at: q.expiresAt, amount: q.units.toString() };
    await db
      .insertInto('widget_quotes')
      .values({ widget_id: widget.id, currency: currency.code, ...values })
      .onConflict((oc) => oc.columns(['widget_id', 'currency']).doUpdateSet(values))
      .execute();
    return q;
  }

  function coin(code: string): Currency {
    const currency = engine.currencies.find(code);
    // The widget was created with it; a configuration change since may have removed it.
    if (!currency) throw new DomainError('UNSUPPORTED_CURRENCY', `${code} is no longer accepted here`, 'currency');
    return currency;
  }

  return {
    async create(account: string, input: NewWidget): Promise<WidgetsTable> {
      const now = clock.now();
      const idempotencyKey = input.idempotencyKey ?? crypto.randomUUID();
      const requestHash = hashRequest(input);
      const row: WidgetsTable = {
        id: `wid_${randomBytes(16).toString('base64url')}`,
        account,
        idempotency_key: idempotencyKey,
        request_hash: requestHash,
        type: 'SINGLE_FIAT',
        crypto_currencies: JSON.stringify(input.currencies.map((c) => c.code)),
        fiat_amount: input.price.amount,
        fiat_currency: input.price.currency.code,
        ...merchantSaid(input, now),
      };
      if (await insertOnce(db, 'widgets', row)) return row;
      const existing = await db.selectFrom('widgets').selectAll().where('account', '=', account).where('idempotency_key', '=', idempotencyKey).executeTakeFirstOrThrow();
      if (existing.request_hash === requestHash) return existing;
      throw new DomainError('CONFLICT', 'already used for a payment widget with a different payload', 'idempotencyKey');
    },

    async findByKey(account: string, idempotencyKey: string): Promise<WidgetsTable> {
      const row = await db.selectFrom('widgets').selectAll().where('account', '=', account).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
      if (!row) throw new DomainError('NOT_FOUND', 'no payment widget with this idempotency key', 'idempotencyKey');
      return row;
    },

    async dto(row: WidgetsTable): Promise<WidgetDto> {
      const invoices = await invoicesOf(row.id);
      return {
        idempotencyKey: row.idempotency_key,
        cryptoCurrencies: currenciesOf(row),
        fiatAmount: row.fiat_amount,
        fiatCurrency: row.fiat_currency,
        description: row.description,
        widgetType: row.type,
        widgetState: widgetState(
          invoices.map((i) => i.state),
          row.expires_at,
          clock.now(),
        ),
        logoUrl: row.logo_url ?? undefined,
        locale: row.locale ?? undefined,
        returnUrl: row.return_url ?? undefined,
        supportUrl: row.support_url ?? undefined,
        externalId: row.external_id ?? undefined,
        invoices: invoices.map((i) => ({ invoiceId: i.id, cryptoCurrency: i.currency, invoiceIdempotencyKey: i.idempotency_key, invoiceExternalId: i.external_id ?? undefined })),
        createdDate: new Date(row.created_at).toISOString(),
        expiration: new Date(row.expires_at).toISOString(),
        paymentUrl: `${publicUrl}/w/${row.id}`,
      };
    },

    /** The buyer's view: each coin at the quote shown now (null amount for a coin without a current rate). */
    async view(id: string): Promise<WidgetView> {
      const widget = await byId(id);
      const invoices = await invoicesOf(widget.id);
      const state = widgetState(
        invoices.map((i) => i.state),
        widget.expires_at,
        clock.now(),
      );
      const options = [];
      for (const code of currenciesOf(widget)) {
        const currency = coin(code);
        // An expired widget quotes nothing more.
        const q = state !== 'ARCHIVED' ? await shownQuote(widget, currency).catch((err: unknown) => (err instanceof DomainError ? null : Promise.reject(err))) : null;
        options.push({
          currency: code,
          network: currency.network,
          amount: q ? formatUnits(q.units, currency.decimals) : null,
          rate: q?.rate ?? null,
          quoteExpiresAt: q ? new Date(q.expiresAt).toISOString() : null,
        });
      }
      return {
        id: widget.id,
        state,
        description: widget.description,
        fiatAmount: widget.fiat_amount,
        fiatCurrency: widget.fiat_currency,
        expiresAt: new Date(widget.expires_at).toISOString(),
        logoUrl: widget.logo_url,
        returnUrl: widget.return_url,
        supportUrl: widget.support_url,
        options,
      };
    },

    /**
     * The buyer picks `code`: the widget's open invoice in that coin, or a new
     * SINGLE_FIAT one at the quote the picker showed (a new quote if that one
     * expired). Every invoice carries the widget's externalId and branding.
     */
    async choose(id: string, code: string): Promise<InvoicesTable> {
      const widget = await byId(id);
      if (!currenciesOf(widget).includes(code)) throw new DomainError('UNSUPPORTED_CURRENCY', `this payment widget does not accept ${code}`, 'currency');
      const invoices = await invoicesOf(widget.id);
      const state = widgetState(
        invoices.map((i) => i.state),
        widget.expires_at,
        clock.now(),
      );
      // A paid widget still takes a pick until it expires, as Calypso's does: the buyer may go back and pay with another coin.
      if (state === 'ARCHIVED' || widget.expires_at <= clock.now()) throw new DomainError('INVALID_STATE', 'this payment widget has expired');
      const open = invoices.filter((i) => i.currency === code && i.state !== 'ARCHIVED').at(-1);
      if (open) return engine.findOwned(widget.account, open.id);
      const currency = coin(code);
      const price = storedPrice(widget.fiat_amount, widget.fiat_currency);
      const quote = await shownQuote(widget, currency);
      // One key per (widget, coin, attempt): two clicks at once get the same invoice, a pick after expiry a new one.
      const attempt = invoices.filter((i) => i.currency === code).length + 1;
      return engine.createInvoice(widget.account, {
        units: quote.units,
        currency,
        description: widget.description,
        idempotencyKey: `${widget.idempotency_key}/${code}/${attempt}`,
        externalId: widget.external_id ?? undefined,
        expiresAt: widget.expires_at,
        returnUrl: widget.return_url ?? undefined,
        supportUrl: widget.support_url ?? undefined,
        logoUrl: widget.logo_url ?? undefined,
        locale: widget.locale ?? undefined,
        fiat: { price, quote },
        widgetId: widget.id,
      });
    },
  };
}

function hashRequest(input: NewWidget): string {
  return hashOfRequest([input.currencies.map((c) => c.code), input.price.amount, input.price.currency.code], input);
}
