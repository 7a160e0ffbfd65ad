/**
 * The invoice routes of the merchant API (see contract/merchant-api.ts):
 * each takes its validated payload and answers the contract's shape.
 */
import type { InvoiceDto } from '../../contract/invoice';
import type { Clock } from '../clock';
import type { Db, InvoicesTable } from '../db/schema';
import { ApiError } from '../http/errors';
import { invoiceDto } from '../invoices/dto';
import type { Engine } from '../invoices/engine';
import { parseAmount } from '../money/amount';
import { findFiat } from '../money/fiat';
import { fiatPrice, quoteInForce } from '../invoices/quote';
import { DomainError } from '../domain-error';
import type { Handlers } from './merchant-routes';
import { checkExpiration, requestAmount } from './request-fields';

export interface InvoiceHandlerDeps {
  db: Db;
  clock: Clock;
  engine: Engine;
  publicUrl: string;
}

export function invoiceHandlers({ db, clock, engine, publicUrl }: InvoiceHandlerDeps) {
  const dto = (row: InvoicesTable): InvoiceDto => invoiceDto(row, engine.currencyOf(row), publicUrl);

  const currencyOf = (code: string) => {
    const currency = engine.currencies.find(code);
    if (!currency) throw new ApiError('UNSUPPORTED_CURRENCY', `payload.currency: "${code}" is not a supported currency`);
    return currency;
  };

  return {
    async createInvoice(p, { account }) {
      const currency = currencyOf(p.currency);
      const units = parseAmount(requestAmount('amount', p.amount), currency.decimals, currency.scale);
      if (!units.ok) throw new ApiError('VALIDATION_FAILED', `payload.amount ${units.reason}`);
      checkExpiration(clock, p.expiration);
      const row = await engine.createInvoice(account, { ...p, units: units.units, currency, expiresAt: p.expiration });
      return dto(row);
    },

    async createFiatInvoice(p, { account }) {
      const currency = currencyOf(p.currency);
      const fiat = findFiat(p.fiatCurrency);
      if (!fiat) throw new ApiError('UNSUPPORTED_CURRENCY', `payload.fiatCurrency: "${p.fiatCurrency}" is not an ISO 4217 currency code such as "USD"`);
      const read = fiatPrice(requestAmount('fiatAmount', p.fiatAmount), fiat);
      if (!read.ok) throw new ApiError('VALIDATION_FAILED', `payload.fiatAmount ${read.reason.replace("the currency's precision", `${fiat.code} has ${fiat.minorUnits}`)}`);
      checkExpiration(clock, p.expiration);
      const quote = await engine.quote(read.price, currency).catch(async (err: unknown) => {
        // A retry of a create that went through needs no rate: createInvoice answers the invoice it made (or 409 for another payload).
        const made = err instanceof DomainError && err.code === 'RATE_UNAVAILABLE' && p.idempotencyKey ? await engine.findByIdempotencyKey(account, p.idempotencyKey).catch(() => undefined) : undefined;
        const inForce = made && quoteInForce(made);
        if (!inForce) throw err;
        return inForce;
      });
      const row = await engine.createInvoice(account, { ...p, units: quote.units, currency, expiresAt: p.expiration, fiat: { price: read.price, quote } });
      return dto(row);
    },

    async getInvoice(p, { account }) {
      return dto(p.id !== undefined ? await engine.findOwned(account, p.id) : await engine.findByIdempotencyKey(account, p.idempotencyKey!));
    },

    async listInvoices(p, { account }) {
      const limit = p.limit ?? 20;
      let query = db.selectFrom('invoices').selectAll().where('account', '=', account);
      if (p.state) query = query.where('state', '=', p.state);
      if (p.cursor) {
        const [createdAt, id] = decodeCursor(p.cursor);
        query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(dto),
        nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_at}:${last.id}`).toString('base64url') : null,
      };
    },

    archiveInvoice: async (p, { account }) => dto(await engine.archive(account, p.id)),
    resolveIntervention: async (p, { account }) => dto(await engine.resolve(account, p.id, p.action)),
  } satisfies Partial<Handlers>;
}

function decodeCursor(cursor: string): [number, string] {
  const m = /^(\d{1,16}):(inv_[\w-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ApiError('VALIDATION_FAILED', 'payload.cursor: not a cursor this API returned');
  return [Number(m[1]), m[2]!];
}
