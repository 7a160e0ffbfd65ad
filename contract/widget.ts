/**
 * Payment widgets in the merchant API (Calypso's Payment Widget, SINGLE_FIAT
 * kind): the merchant lists the accepted coins and a fiat price; the buyer
 * picks a coin on the widget's page, and that creates a SINGLE_FIAT invoice.
 */
import { z } from 'zod';
import { amountIn, amountOut, dateIn, dateOut, httpUrl, languageTag, optional, text } from './common';

const WIDGET_TYPES = ['SINGLE_FIAT'] as const;
const WIDGET_STATES = ['IN_PROGRESS', 'COMPLETED', 'ARCHIVED'] as const;
export type WidgetState = (typeof WIDGET_STATES)[number];

/** POST /api/v1/payment-widget/single-fiat/create. */
export const createSingleFiatWidget = z.object({
  cryptoCurrencies: z
    .array(z.string().max(32), { error: 'must be a list of currency codes such as ["USDT_MATIC", "ETH"]' })
    .min(1, 'must name at least one currency')
    .max(20, 'must name at most 20 currencies')
    .refine((list) => new Set(list).size === list.length, 'must not name a currency twice'),
  fiatAmount: amountIn,
  fiatCurrency: z.string({ error: (iss) => `${iss.input === undefined ? 'is required' : 'must be a string'}, an ISO 4217 code such as "USD"` }).max(8),
  description: text(1000),
  idempotencyKey: optional(text(128)).meta({ description: 'Same key, same payload: the same widget again; same key, another payload: 409.' }),
  externalId: optional(text(255)).meta({ description: 'Given to every invoice the widget creates.' }),
  returnUrl: optional(httpUrl),
  supportUrl: optional(httpUrl),
  logoUrl: optional(httpUrl),
  locale: optional(languageTag),
  expiration: optional(dateIn).meta({ description: 'In the future, at most 1 day ahead; 24 h when absent.' }),
});

/** POST /api/v1/payment-widget/single-fiat/find. */
export const widgetLookup = z.object({ idempotencyKey: text(128) });

export const widgetDto = z
  .object({
    idempotencyKey: z.string().meta({ description: 'Always set: generated when the request gave none.' }),
    cryptoCurrencies: z.array(z.string()),
    fiatAmount: amountOut,
    fiatCurrency: z.string(),
    description: z.string(),
    widgetType: z.enum(WIDGET_TYPES),
    widgetState: z.enum(WIDGET_STATES).meta({ description: 'COMPLETED once one of its invoices is (it still takes another coin until it expires); ARCHIVED once expired with none paid.' }),
    logoUrl: z.string().optional(),
    locale: z.string().optional().meta({ description: 'The checkout\'s language, as created; every invoice of the widget has it.' }),
    returnUrl: z.string().optional(),
    supportUrl: z.string().optional(),
    externalId: z.string().optional(),
    invoices: z.array(
      z.object({ invoiceId: z.string(), cryptoCurrency: z.string(), invoiceIdempotencyKey: z.string(), invoiceExternalId: z.string().optional() }),
    ),
    createdDate: dateOut,
    expiration: dateOut,
    paymentUrl: z.string().meta({ description: 'Ours: the page where the buyer picks a coin; its id is unguessable (never the idempotencyKey).' }),
  })
  .meta({ id: 'PaymentWidgetDTO' });

export type WidgetDto = z.output<typeof widgetDto>;

/** The buyer's view of a widget (public; no merchant keys or ids): GET /api/widget/:id. */
export const widgetView = z
  .object({
    id: z.string(),
    state: z.enum(WIDGET_STATES),
    description: z.string(),
    fiatAmount: z.string(),
    fiatCurrency: z.string(),
    expiresAt: dateOut,
    logoUrl: z.string().nullable(),
    returnUrl: z.string().nullable(),
    supportUrl: z.string().nullable(),
    options: z.array(
      z.object({
        currency: z.string(),
        network: z.string(),
        /** The amount at the quote shown; null when no rate source has a rate for it right now. */
        amount: z.string().nullable(),
        rate: z.string().nullable(),
        quoteExpiresAt: dateOut.nullable(),
      }),
    ),
  })
  .meta({ id: 'WidgetView' });

export type WidgetView = z.output<typeof widgetView>;

/** POST /api/widget/:id/choose: the buyer's pick. */
export const widgetChoice = z.object({ currency: z.string().max(32) });
