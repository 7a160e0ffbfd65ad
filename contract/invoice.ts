/**
 * Invoices in the merchant API: Calypso's request payloads and InvoiceDTO,
 * with Payframe's additions marked as ours.
 */
import { z } from 'zod';
import { amountIn, amountOut, dateIn, dateOut, httpUrl, languageTag, optional, text } from './common';
import { CALYPSO_INTERVENTION_TYPES, INTERVENTION_TYPES, INVOICE_STATES, INVOICE_TYPES, RESOLUTIONS } from './enums';

/** POST /api/v1/invoice/single/create (Calypso's "limited invoice"). */
export const createSingleInvoice = z.object({
  amount: amountIn,
  currency: z.string({ error: (iss) => `${iss.input === undefined ? 'is required' : 'must be a string'}, e.g. "ETH"` }).max(32),
  description: text(1000),
  idempotencyKey: optional(text(128)).meta({ description: 'Same key, same payload: the same invoice again; same key, another payload: 409.' }),
  externalId: optional(text(255)),
  expiration: optional(dateIn).meta({ description: 'In the future, at most 1 day ahead; 24 h when absent.' }),
  returnUrl: optional(httpUrl),
  supportUrl: optional(httpUrl),
  logoUrl: optional(httpUrl),
  locale: optional(languageTag),
});

/**
 * POST /api/v1/invoice/single-fiat/create (Calypso's SINGLE_FIAT): a price in
 * fiat, paid in one crypto currency at a quote that holds 15 minutes; the
 * other fields as for a single invoice.
 */
export const createSingleFiatInvoice = createSingleInvoice.omit({ amount: true }).extend({
  fiatAmount: amountIn.meta({ description: 'The price, in fiatCurrency, with at most its minor units of decimals (2 for USD, 0 for JPY).' }),
  fiatCurrency: z
    .string({ error: (iss) => `${iss.input === undefined ? 'is required' : 'must be a string'}, an ISO 4217 code such as "USD"` })
    .max(8)
    .meta({ description: 'ISO 4217, upper case: USD, EUR, ARS, JPY…' }),
});

/** POST /api/v1/invoice: Calypso's ByIdOrIdempotencyKeyRequestDTO. */
export const invoiceLookup = z
  .object({ id: optional(text(64)), idempotencyKey: optional(text(128)) })
  .refine((p) => p.id !== undefined || p.idempotencyKey !== undefined, { message: 'either id or idempotencyKey is required', path: ['id'] });

export const invoiceById = z.object({ id: text(64) });

export const resolveIntervention = z.object({ id: text(64), action: z.enum(RESOLUTIONS) });

/** Ours: the merchant's invoices, newest first, a page at a time. */
export const listInvoices = z.object({
  state: optional(z.enum(INVOICE_STATES)),
  cursor: optional(z.string().max(200)),
  limit: optional(z.number().int().min(1).max(100)),
});

/** Calypso's InvoiceDTO, plus ours: paymentUrl, network, amountPaid, interventionReason, and a fiat invoice's rate, rateSource, quoteExpiresAt. */
export const invoiceDto = z
  .object({
    id: z.string(),
    invoiceAddress: z.string(),
    type: z.enum(INVOICE_TYPES),
    amount: amountOut,
    fee: amountOut,
    totalDebitAmount: amountOut,
    currency: z.string(),
    state: z.enum(INVOICE_STATES),
    lastDepositHash: z.string().optional(),
    description: z.string(),
    createdDate: dateOut,
    idempotencyKey: z.string().meta({ description: 'Always set: generated when the request gave none.' }),
    expiration: dateOut,
    interventionType: z.enum(CALYPSO_INTERVENTION_TYPES).optional().meta({ description: 'Calypso\'s two values; the cases Calypso has no name for are in interventionReason only.' }),
    interventionReason: z.enum(INTERVENTION_TYPES).optional().meta({ description: 'Ours: why the invoice needs (or needed) the merchant, including MULTIPLE_SENDERS and LATE_PAYMENT.' }),
    isInterventionResolved: z.boolean(),
    returnUrl: z.string().optional(),
    supportUrl: z.string().optional(),
    logoUrl: z.string().optional(),
    locale: z.string().optional().meta({ description: 'Ours: the checkout\'s language, as created.' }),
    externalId: z.string().optional(),
    paymentUrl: z.string().meta({ description: 'Ours: the hosted pay link to send the buyer to.' }),
    network: z.string().meta({ description: 'Ours: the network the currency is paid on ("ethereum", "polygon", …).' }),
    amountPaid: amountOut.meta({ description: 'Ours: what the invoice address has received so far, mempool included.' }),
    fiatAmount: amountOut.optional().meta({ description: 'SINGLE_FIAT: the price in fiatCurrency.' }),
    fiatCurrency: z.string().optional().meta({ description: 'SINGLE_FIAT: ISO 4217 code of the price.' }),
    lastFiatUpdated: dateOut.optional().meta({ description: 'SINGLE_FIAT: when the quote in force was made (moves at each re-quote).' }),
    rate: z.string().optional().meta({ description: 'Ours, SINGLE_FIAT: the quote in force, fiatCurrency per one coin, exact decimal text.' }),
    rateSource: z.string().optional().meta({ description: 'Ours, SINGLE_FIAT: where the rate came from (fixed, coingecko, kraken, coinbase).' }),
    quoteExpiresAt: dateOut.optional().meta({ description: 'Ours, SINGLE_FIAT: until when the quote holds; after it, an invoice with nothing received is quoted again.' }),
  })
  .meta({ id: 'InvoiceDTO' });

export const invoicePage = z
  .object({
    items: z.array(invoiceDto),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last one.' }),
  })
  .meta({ id: 'InvoicePage' });

export type InvoiceDto = z.output<typeof invoiceDto>;
export type CreateSingleInvoice = z.input<typeof createSingleInvoice>;
