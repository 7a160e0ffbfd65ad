import { beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors';
import { TIMESTAMP_TOLERANCE_MS } from '../../contract/merchant-api';
import { calypsoSign } from '../../contract/signatures';
import { type Harness, harnessPerTest } from '../testing/harness';
import { MAX_BODY_BYTES } from './signed';

const CREATE = '/api/v1/invoice/single/create';
const VALID = { amount: 0.01, currency: 'ETH', description: 'Order 1' };

interface Ctx {
  h: Harness;
  /** An invoice that exists before the request, so archive/resolve cases have a real target. */
  seedId: string;
}

/** What goes over the wire. By default it carries our Key and a correct Sign over `body`. */
interface Sent {
  path?: string;
  body: string | Uint8Array | ReadableStream<Uint8Array>;
  /** null leaves the header out. */
  key?: string | null;
  sign?: string | null;
  secret?: string;
}

interface Case {
  name: string;
  build: (ctx: Ctx) => Sent | Promise<Sent>;
  status: number;
  errorCode: ErrorCode;
  /** The message must contain this, so the client learns what to fix. */
  mentions: string;
}

function envelope(h: Harness, payload: unknown, override: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: h.clock.now(), account: h.merchant.account, payload, ...override });
}

const create =
  (payload: unknown, override?: Record<string, unknown>, path = CREATE) =>
  ({ h }: Ctx): Sent => ({ path, body: envelope(h, payload, override) });

const createWith = (fields: Record<string, unknown>) => create({ ...VALID, ...fields });

const createWithout = (field: keyof typeof VALID) => create(Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== field)));

/** Puts `source` into the body verbatim as the amount, for texts JSON.stringify cannot write (1e400). */
const amountSource =
  (source: string, currency = 'ETH') =>
  ({ h }: Ctx): Sent => ({ body: envelope(h, { ...VALID, currency, amount: '@AMOUNT@' }).replace('"@AMOUNT@"', source) });

const raw = (body: string | Uint8Array) => (): Sent => ({ body });

/** A valid envelope whose description bytes are replaced by `bytes`. */
const withBytes =
  (bytes: number[]) =>
  ({ h }: Ctx): Sent => {
    const [before, after] = envelope(h, { ...VALID, description: '@BYTES@' }).split('@BYTES@') as [string, string];
    return { body: Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]) };
  };

const signedAs =
  (sign: (correct: string) => string | null) =>
  ({ h }: Ctx): Sent => {
    const body = envelope(h, VALID);
    return { body, sign: sign(calypsoSign(h.merchant.secret, body)) };
  };

/** A chunked body with no Content-Length that never ends, as a slow-loris client sends. */
const endlessBody = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
    },
  });

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

const cases: Case[] = [
  // The body is not JSON.
  { name: 'truncated JSON', build: raw('{"timestamp": 1, "account": '), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },
  {
    name: 'trailing comma',
    build: ({ h }) => ({ body: envelope(h, VALID).replace(/}}$/, ',}}') }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'not valid JSON',
  },
  {
    name: 'single-quoted strings',
    build: ({ h }) => ({ body: envelope(h, VALID).replaceAll('"', "'") }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'not valid JSON',
  },
  {
    name: 'unquoted property names',
    build: ({ h }) => ({ body: envelope(h, VALID).replace(/"(\w+)":/g, '$1:') }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'not valid JSON',
  },
  {
    name: 'a comment',
    build: ({ h }) => ({ body: `// order 1\n${envelope(h, VALID)}` }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'not valid JSON',
  },
  {
    name: 'a second value after the JSON',
    build: ({ h }) => ({ body: `${envelope(h, VALID)} {}` }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'after the JSON value',
  },
  { name: 'amount NaN as a bare word', build: amountSource('NaN'), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },
  { name: 'amount Infinity as a bare word', build: amountSource('Infinity'), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },
  { name: 'amount with a leading plus', build: amountSource('+1'), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },
  { name: 'amount as hex literal 0x10', build: amountSource('0x10'), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },
  {
    name: 'nesting 40 levels deep',
    build: createWith({ externalId: nested(40) }),
    status: 400,
    errorCode: 'INVALID_JSON',
    mentions: 'nesting too deep',
  },
  { name: 'bytes that are not UTF-8 (0xff 0xfe)', build: withBytes([0xff, 0xfe]), status: 400, errorCode: 'INVALID_JSON', mentions: 'UTF-8' },
  { name: 'an overlong UTF-8 encoding of "/"', build: withBytes([0xc0, 0xaf]), status: 400, errorCode: 'INVALID_JSON', mentions: 'UTF-8' },
  { name: 'a UTF-16 surrogate encoded as UTF-8', build: withBytes([0xed, 0xa0, 0x80]), status: 400, errorCode: 'INVALID_JSON', mentions: 'UTF-8' },
  { name: 'an empty body', build: raw(''), status: 400, errorCode: 'INVALID_JSON', mentions: 'not valid JSON' },

  // The envelope is wrong.
  { name: 'a body that is an array', build: raw('[]'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'body' },
  { name: 'a body that is a string', build: raw('"hello"'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'body' },
  { name: 'a body that is null', build: raw('null'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'body' },
  {
    name: 'no payload',
    build: ({ h }) => ({ body: JSON.stringify({ timestamp: h.clock.now(), account: h.merchant.account }) }),
    status: 400,
    errorCode: 'VALIDATION_FAILED',
    mentions: 'payload',
  },
  { name: 'payload an array', build: create([VALID]), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload' },
  { name: 'payload a string', build: create('amount=1'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload' },
  { name: 'timestamp as a string', build: ({ h }) => ({ body: envelope(h, VALID, { timestamp: String(h.clock.now()) }) }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'timestamp' },
  { name: 'timestamp with a fraction', build: ({ h }) => ({ body: envelope(h, VALID, { timestamp: h.clock.now() + 0.5 }) }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'timestamp' },
  { name: 'no timestamp', build: create(VALID, { timestamp: undefined }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'timestamp' },
  { name: 'account malformed', build: create(VALID, { account: '0x1234' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'account' },
  {
    name: 'a body over 64 KiB',
    build: createWith({ description: 'x'.repeat(MAX_BODY_BYTES + 1) }),
    status: 413,
    errorCode: 'PAYLOAD_TOO_LARGE',
    mentions: 'larger than',
  },
  { name: 'a chunked body that never ends', build: () => ({ body: endlessBody(), sign: 'a'.repeat(128) }), status: 413, errorCode: 'PAYLOAD_TOO_LARGE', mentions: 'larger than' },

  // Authentication.
  { name: 'Sign made with the wrong secret', build: ({ h }) => ({ body: envelope(h, VALID), secret: `${h.merchant.secret}x` }), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Sign' },
  { name: 'Sign truncated', build: signedAs((s) => s.slice(0, -2)), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Sign' },
  { name: 'Sign not hex', build: signedAs((s) => `${s.slice(0, -1)}g`), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Sign' },
  { name: 'Sign as base64', build: signedAs((s) => Buffer.from(s, 'hex').toString('base64')), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Sign' },
  {
    name: 'Sign in upper case but wrong',
    build: signedAs((s) => (s.startsWith('0') ? `1${s.slice(1)}` : `0${s.slice(1)}`).toUpperCase()),
    status: 401,
    errorCode: 'INVALID_SIGNATURE',
    mentions: 'Sign',
  },
  { name: 'no Sign header', build: signedAs(() => null), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Sign' },
  {
    name: 'Sign over the compact body while the pretty one is sent',
    build: ({ h }) => {
      const compact = envelope(h, VALID);
      return { body: JSON.stringify(JSON.parse(compact), null, 2), sign: calypsoSign(h.merchant.secret, compact) };
    },
    status: 401,
    errorCode: 'INVALID_SIGNATURE',
    mentions: 'Sign',
  },
  { name: 'no Key header', build: ({ h }) => ({ body: envelope(h, VALID), key: null }), status: 401, errorCode: 'UNAUTHORIZED', mentions: 'Key' },
  { name: 'an unknown Key', build: ({ h }) => ({ body: envelope(h, VALID), key: 'pk_00000000000000000000000000000000' }), status: 401, errorCode: 'INVALID_SIGNATURE', mentions: 'Key' },
  {
    name: "another merchant's Key and secret with this account",
    build: async ({ h }) => {
      const other = await h.newMerchant();
      return { body: envelope(h, VALID), key: other.key, secret: other.secret };
    },
    status: 401,
    errorCode: 'ACCOUNT_MISMATCH',
    mentions: 'account',
  },
  {
    name: 'a timestamp more than 3 minutes old',
    build: ({ h }) => ({ body: envelope(h, VALID, { timestamp: h.clock.now() - TIMESTAMP_TOLERANCE_MS - 1 }) }),
    status: 401,
    errorCode: 'TIMESTAMP_OUT_OF_RANGE',
    mentions: 'timestamp',
  },
  {
    name: 'a timestamp more than 3 minutes ahead',
    build: ({ h }) => ({ body: envelope(h, VALID, { timestamp: h.clock.now() + TIMESTAMP_TOLERANCE_MS + 1 }) }),
    status: 401,
    errorCode: 'TIMESTAMP_OUT_OF_RANGE',
    mentions: 'timestamp',
  },
  {
    name: 'a timestamp in seconds instead of milliseconds',
    build: ({ h }) => ({ body: envelope(h, VALID, { timestamp: Math.floor(h.clock.now() / 1000) }) }),
    status: 401,
    errorCode: 'TIMESTAMP_OUT_OF_RANGE',
    mentions: 'timestamp',
  },

  // Required fields of create.
  { name: 'no amount', build: createWithout('amount'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount null', build: createWith({ amount: null }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount empty string', build: createWith({ amount: '' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'no currency', build: createWithout('currency'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.currency' },
  { name: 'currency empty', build: createWith({ currency: '' }), status: 400, errorCode: 'UNSUPPORTED_CURRENCY', mentions: 'payload.currency' },
  { name: 'currency a number', build: createWith({ currency: 60 }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.currency' },
  { name: 'no description', build: createWithout('description'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.description' },
  { name: 'description only spaces', build: createWith({ description: '   ' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.description' },
  { name: 'description a number', build: createWith({ description: 42 }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.description' },
  { name: 'description over 1000 characters', build: createWith({ description: 'd'.repeat(1001) }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.description' },

  // Amounts.
  { name: 'amount a boolean', build: createWith({ amount: true }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount an object', build: createWith({ amount: { value: 1 } }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount an array', build: createWith({ amount: [1] }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount 0', build: createWith({ amount: 0 }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount -0', build: amountSource('-0'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount -1', build: createWith({ amount: -1 }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "0"', build: createWith({ amount: '0' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "-0.1"', build: createWith({ amount: '-0.1' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "1e-3" (an exponent in a string)', build: createWith({ amount: '1e-3' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "NaN"', build: createWith({ amount: 'NaN' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "Infinity"', build: createWith({ amount: 'Infinity' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount 1e400', build: amountSource('1e400'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount 1e-400', build: amountSource('1e-400'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount 1e99999999999999999999', build: amountSource('1e99999999999999999999'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount with 16 significant digits', build: amountSource('0.1234567890123456'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount with 9 decimals in ETH (scale 8)', build: amountSource('0.000000001'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount with 7 decimals in USDT (scale 6)', build: amountSource('0.0000001', 'USDT'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "0.0000001" in USDT', build: createWith({ amount: '0.0000001', currency: 'USDT' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "1,5"', build: createWith({ amount: '1,5' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount " 1" (a leading space)', build: createWith({ amount: ' 1' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "1\\n" (a trailing newline)', build: createWith({ amount: '1\n' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount "0x10"', build: createWith({ amount: '0x10' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount ".5"', build: createWith({ amount: '.5' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount with a 16-digit integer part', build: createWith({ amount: '1234567890123456' }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },
  { name: 'amount with a 1000-digit integer part', build: createWith({ amount: '9'.repeat(1000) }), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.amount' },

  // Currency.
  { name: 'an unknown currency', build: createWith({ currency: 'DOGE' }), status: 400, errorCode: 'UNSUPPORTED_CURRENCY', mentions: 'payload.currency' },
  { name: 'currency in lower case "eth"', build: createWith({ currency: 'eth' }), status: 400, errorCode: 'UNSUPPORTED_CURRENCY', mentions: 'payload.currency' },
  { name: 'currency an inherited property name', build: createWith({ currency: 'constructor' }), status: 400, errorCode: 'UNSUPPORTED_CURRENCY', mentions: 'payload.currency' },

  // Optional fields of create.
  ...(
    [
      ['an expiration in the past', { expiration: '2026-11-24T11:59:59.000Z' }, 'payload.expiration'],
      ['an expiration more than 1 day ahead', { expiration: '2026-11-25T12:00:00.001Z' }, 'payload.expiration'],
      ['an expiration that is not a date', { expiration: 'next tuesday' }, 'payload.expiration'],
      ['an expiration date without a time', { expiration: '2026-11-25' }, 'payload.expiration'],
      ['an expiration on February 30', { expiration: '2027-02-30T00:00:00Z' }, 'payload.expiration'],
      ['an expiration in epoch seconds', { expiration: Date.parse('2026-11-24T13:00:00Z') / 1000 }, 'payload.expiration'],
      ['returnUrl javascript:alert(1)', { returnUrl: 'javascript:alert(1)' }, 'payload.returnUrl'],
      ['supportUrl data:', { supportUrl: 'data:text/html,<script>alert(1)</script>' }, 'payload.supportUrl'],
      ['logoUrl not a URL', { logoUrl: 'logo.png' }, 'payload.logoUrl'],
      ['idempotencyKey over 128 characters', { idempotencyKey: 'k'.repeat(129) }, 'payload.idempotencyKey'],
      ['idempotencyKey a number', { idempotencyKey: 7 }, 'payload.idempotencyKey'],
      ['externalId over 255 characters', { externalId: 'e'.repeat(256) }, 'payload.externalId'],
    ] as const
  ).map(([name, fields, mentions]): Case => ({ name, build: createWith(fields), status: 400, errorCode: 'VALIDATION_FAILED', mentions })),

  // The other routes.
  { name: 'get with neither id nor idempotencyKey', build: create({}, {}, '/api/v1/invoice'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.id' },
  { name: 'get with an id that is a number', build: create({ id: 12 }, {}, '/api/v1/invoice'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.id' },
  { name: 'get of an unknown id', build: create({ id: 'inv_nothere' }, {}, '/api/v1/invoice'), status: 404, errorCode: 'NOT_FOUND', mentions: 'payload.id' },
  { name: 'list by a state that does not exist', build: create({ state: 'LOST' }, {}, '/api/v1/invoice/list'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.state' },
  { name: 'list with a cursor it never returned', build: create({ cursor: 'bm90IGEgY3Vyc29y' }, {}, '/api/v1/invoice/list'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.cursor' },
  {
    name: 'list with a forged cursor holding SQL',
    build: create({ cursor: Buffer.from("1:inv_' OR 1=1 --").toString('base64url') }, {}, '/api/v1/invoice/list'),
    status: 400,
    errorCode: 'VALIDATION_FAILED',
    mentions: 'payload.cursor',
  },
  { name: 'list with limit 0', build: create({ limit: 0 }, {}, '/api/v1/invoice/list'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.limit' },
  { name: 'list with limit 101', build: create({ limit: 101 }, {}, '/api/v1/invoice/list'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.limit' },
  { name: 'list with limit "10"', build: create({ limit: '10' }, {}, '/api/v1/invoice/list'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.limit' },
  { name: 'archive of an unknown id', build: create({ id: 'inv_nothere' }, {}, '/api/v1/invoice/archive'), status: 404, errorCode: 'NOT_FOUND', mentions: 'payload.id' },
  { name: 'archive without an id', build: create({}, {}, '/api/v1/invoice/archive'), status: 400, errorCode: 'VALIDATION_FAILED', mentions: 'payload.id' },
  {
    name: 'resolve with action MAYBE',
    build: ({ h, seedId }) => ({ path: '/api/v1/invoice/intervention/resolve', body: envelope(h, { id: seedId, action: 'MAYBE' }) }),
    status: 400,
    errorCode: 'VALIDATION_FAILED',
    mentions: 'payload.action',
  },
  {
    name: 'resolve with action in lower case',
    build: ({ h, seedId }) => ({ path: '/api/v1/invoice/intervention/resolve', body: envelope(h, { id: seedId, action: 'accept' }) }),
    status: 400,
    errorCode: 'VALIDATION_FAILED',
    mentions: 'payload.action',
  },
  {
    name: 'resolve of an unknown id',
    build: create({ id: 'inv_nothere', action: 'ACCEPT' }, {}, '/api/v1/invoice/intervention/resolve'),
    status: 404,
    errorCode: 'NOT_FOUND',
    mentions: 'payload.id',
  },
];

/** Every row that a request could create or change. */
async function snapshot(h: Harness) {
  const invoices = await h.db.selectFrom('invoices').select(['id', 'state', 'version', 'updated_at']).orderBy('id').execute();
  const addressCounters = await h.db.selectFrom('address_counters').selectAll().orderBy('scope').execute();
  const count = async (table: 'payments' | 'status_history' | 'webhook_events' | 'webhook_deliveries' | 'webhook_subscriptions') =>
    (await h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = {
    payments: await count('payments'),
    statusHistory: await count('status_history'),
    webhookEvents: await count('webhook_events'),
    webhookDeliveries: await count('webhook_deliveries'),
    webhookSubscriptions: await count('webhook_subscriptions'),
  };
  return { invoiceCount: invoices.length, invoices, addressCounters, rows };
}

describe('POST /api/v1/invoice/* with malformed or hostile requests', () => {
  let seedId: string;

  const h = harnessPerTest();
  beforeEach(async () => {
    seedId = (await h.createInvoice()).id;
  });

  it.each(cases)('answers $name with $status $errorCode and changes nothing', async (c) => {
    const sent = await c.build({ h, seedId });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = sent.key === undefined ? h.merchant.key : sent.key;
    const sign =
      sent.sign !== undefined || sent.body instanceof ReadableStream
        ? (sent.sign ?? null)
        : calypsoSign(sent.secret ?? h.merchant.secret, sent.body);
    if (key !== null) headers.Key = key;
    if (sign !== null) headers.Sign = sign;
    const before = await snapshot(h);

    // duplex: a stream body needs it in Node's fetch.
    const res = await h.app.request(sent.path ?? CREATE, { method: 'POST', headers, body: sent.body, duplex: 'half' } as RequestInit);

    const text = await res.text();
    expect({ status: res.status, text }).toMatchObject({ status: c.status });
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toEqual({ traceId: expect.stringMatching(/^[0-9a-f-]{36}$/), errorCode: c.errorCode, message: expect.stringContaining(c.mentions) });
    // The traceId is the request's id, as its header says.
    expect(res.headers.get('x-request-id')).toBe(body.traceId);
    expect(await snapshot(h)).toEqual(before);
    expect(before.invoiceCount).toBe(1);
  });
});
