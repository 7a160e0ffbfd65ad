/**
 * The merchant API (Calypso-compatible): POST /api/v1/…, signed envelope.
 * Every payload is validated by a zod schema; a failure names the field.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Db, InvoicesTable } from '../db/schema';
import { ApiError } from '../http/errors';
import { stringifyExact } from '../http/exact-json';
import { JsonNumber } from '../http/lossless-json';
import { invoiceDto } from '../invoices/dto';
import type { Clock, Engine } from '../invoices/engine';
import { DAY_MS, INVOICE_STATES } from '../invoices/state-machine';
import { parseAmount } from '../money/amount';
import { signedRequest, type SignedEnv } from './signed';
import { parseOrThrow } from './validation';

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const httpUrl = z
  .string()
  .max(2048)
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http or https URL');

const createSchema = z.object({
  amount: z.union([z.string(), z.instanceof(JsonNumber)], { error: (iss) => `${iss.input === undefined ? 'is required' : 'must be'}: a JSON number or a decimal string` }),
  currency: z.string({ error: (iss) => `${iss.input === undefined ? 'is required' : 'must be a string'}, e.g. "ETH"` }).max(32),
  description: text(1000),
  idempotencyKey: optional(text(128)),
  externalId: optional(text(255)),
  expiration: optional(z.union([z.iso.datetime({ offset: true }), z.number().int()], { error: 'must be an ISO-8601 date-time or epoch milliseconds' })),
  returnUrl: optional(httpUrl),
  supportUrl: optional(httpUrl),
  logoUrl: optional(httpUrl),
});

const byIdSchema = z
  .object({ id: optional(text(64)), idempotencyKey: optional(text(128)) })
  .refine((p) => p.id !== undefined || p.idempotencyKey !== undefined, { message: 'either id or idempotencyKey is required', path: ['id'] });

const listSchema = z.object({
  state: optional(z.enum(INVOICE_STATES)),
  cursor: optional(z.string().max(200)),
  limit: optional(z.number().int().min(1).max(100)),
});

const idSchema = z.object({ id: text(64) });
const resolveSchema = z.object({ id: text(64), action: z.enum(['ACCEPT', 'REJECT']) });

export function merchantRoutes(deps: { db: Db; clock: Clock; engine: Engine; publicUrl: string }) {
  const { db, clock, engine, publicUrl } = deps;
  const respond = (c: Context, body: unknown) => c.body(stringifyExact(body), 200, { 'content-type': 'application/json' });
  const dto = (row: InvoicesTable) => invoiceDto(row, engine.currencyOf(row), publicUrl);

  return new Hono<SignedEnv>()
    .use(signedRequest(db, clock))
    .post('/invoice/single/create', async (c) => {
      const p = parseOrThrow(createSchema, c.get('payload'), 'payload');
      const currency = engine.currencies.find(p.currency);
      if (!currency) throw new ApiError('UNSUPPORTED_CURRENCY', `payload.currency: "${p.currency}" is not a supported currency`);
      // parseAmount forgives surrounding whitespace (other callers want that); on the wire a padded amount is a client bug.
      if (typeof p.amount === 'string' && p.amount !== p.amount.trim()) {
        throw new ApiError('VALIDATION_FAILED', 'payload.amount must be a decimal string without surrounding spaces, such as "0.15"');
      }
      const amount = parseAmount(
        p.amount instanceof JsonNumber ? { text: p.amount.text, isNumber: true } : { text: p.amount, isNumber: false },
        currency.decimals,
        currency.scale,
      );
      if (!amount.ok) throw new ApiError('VALIDATION_FAILED', `payload.amount ${amount.reason}`);
      const now = clock.now();
      const expiresAt = p.expiration === undefined ? undefined : typeof p.expiration === 'number' ? p.expiration : Date.parse(p.expiration);
      if (expiresAt !== undefined && (expiresAt <= now || expiresAt > now + DAY_MS)) {
        throw new ApiError('VALIDATION_FAILED', 'payload.expiration must be in the future and at most 1 day ahead');
      }
      const row = await engine.createInvoice(c.get('account'), { ...p, units: amount.units, currency, expiresAt });
      return respond(c, dto(row));
    })
    .post('/invoice', async (c) => {
      const p = parseOrThrow(byIdSchema, c.get('payload'), 'payload');
      const account = c.get('account');
      const row = p.id !== undefined ? await engine.findOwned(account, p.id) : await engine.findByIdempotencyKey(account, p.idempotencyKey!);
      return respond(c, dto(row));
    })
    .post('/invoice/list', async (c) => {
      const p = parseOrThrow(listSchema, c.get('payload'), 'payload');
      const limit = p.limit ?? 20;
      let query = db.selectFrom('invoices').selectAll().where('account', '=', c.get('account'));
      if (p.state) query = query.where('state', '=', p.state);
      if (p.cursor) {
        const [createdAt, id] = decodeCursor(p.cursor);
        query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return respond(c, {
        items: page.map(dto),
        nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_at}:${last.id}`).toString('base64url') : null,
      });
    })
    .post('/invoice/archive', async (c) => {
      const p = parseOrThrow(idSchema, c.get('payload'), 'payload');
      return respond(c, dto(await engine.archive(c.get('account'), p.id)));
    })
    .post('/invoice/intervention/resolve', async (c) => {
      const p = parseOrThrow(resolveSchema, c.get('payload'), 'payload');
      return respond(c, dto(await engine.resolve(c.get('account'), p.id, p.action)));
    });
}

function decodeCursor(cursor: string): [number, string] {
  const m = /^(\d{1,16}):(inv_[\w-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ApiError('VALIDATION_FAILED', 'payload.cursor: not a cursor this API returned');
  return [Number(m[1]), m[2]!];
}
