/**
 * The building blocks every wire shape uses: amounts, dates, URLs, texts.
 *
 * Amounts travel as JSON numbers, as Calypso's do, written from exact decimal
 * text. Inside the contract they are that text (a decimal string): a reader
 * that parses the JSON with `parseJsonExact` gets every digit, where
 * JSON.parse would round an 18-decimal amount. The keys that hold one are
 * AMOUNT_KEYS; the OpenAPI document shows them as numbers.
 */
import { z } from 'zod';
import { JsonNumber } from './lossless-json';

/** The keys whose values are amounts, in requests, responses and webhooks alike. */
export const AMOUNT_KEYS: ReadonlySet<string> = new Set(['amount', 'amountPaid', 'amountDue', 'fee', 'totalDebitAmount', 'realAmount', 'serviceFee', 'fiatAmount']);

/** Schemas that are a decimal string in the contract and a JSON number on the wire (see openapi.ts). */
export const wireNumbers = z.registry<{ wire: 'number' | 'number-or-string' }>();

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** An amount in a response or webhook: exact decimal text, a JSON number on the wire. */
export const amountOut = z.string().regex(DECIMAL).register(wireNumbers, { wire: 'number' });

/**
 * An amount in a request: a JSON number or a decimal string. The server reads
 * a number as its source text (a JsonNumber, see lossless-json.ts), so that
 * 0.1000000000000000055 is refused rather than rounded; a client sends a
 * number or a string.
 */
export const amountIn = z
  .custom<number | string>((v) => typeof v === 'number' || typeof v === 'string' || v instanceof JsonNumber, {
    error: (iss) => `${iss.input === undefined ? 'is required' : 'must be'}: a JSON number or a decimal string`,
  })
  .register(wireNumbers, { wire: 'number-or-string' });

/** The text of a request amount and whether it came as a JSON number (its own rules: at most 15 significant digits). */
export function amountText(value: number | string): { text: string; isNumber: boolean } {
  const v: unknown = value;
  if (v instanceof JsonNumber) return { text: v.text, isNumber: true };
  return typeof v === 'number' ? { text: String(v), isNumber: true } : { text: String(v), isNumber: false };
}

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A date-time a client sends: ISO-8601 with a zone, Calypso's own zone-less
 * form (`2022-08-25T12:47:28.200475`, which Calypso means as UTC), or epoch
 * milliseconds. Read as epoch milliseconds.
 */
export const dateIn = z
  .union([z.iso.datetime({ local: true, offset: true }), z.number().int()], {
    error: 'must be an ISO-8601 date-time (e.g. 2026-11-30T12:00:00Z; without a zone it is read as UTC, as Calypso writes them) or epoch milliseconds',
  })
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : Date.parse(ZONED.test(v) ? v : `${v}Z`);
    if (!Number.isFinite(ms)) ctx.addIssue({ code: 'custom', message: 'is not a real date' });
    return ms;
  });

/** A date-time Payframe writes: ISO-8601 in UTC with `Z`. */
export const dateOut = z.iso.datetime();

export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A BCP 47 language tag as the checkout reads one ("de", "pt-BR", "zh-Hant"); one Payframe does not speak falls back to the buyer's browser. */
export const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/i, 'must be a language tag such as "de" or "pt-BR"')
  .meta({ description: 'The checkout\'s language ("de", "pt-BR", "ar"); absent: the buyer\'s Accept-Language, then browser.' });

export const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http or https URL');

/** Calypso's account id. */
export const account = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be 0x followed by 40 hex digits');
