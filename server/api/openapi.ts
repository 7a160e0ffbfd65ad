/**
 * The OpenAPI 3.1 document of Payframe's HTTP APIs, generated from the
 * contract (contract/): the merchant API's route table, the checkout API and
 * every webhook event (OpenAPI's `webhooks`). Served at /api/openapi.json;
 * docs/reference.md is rendered from it.
 */
import { z } from 'zod';
import { checkoutView } from '../../contract/checkout';
import { wireNumbers } from '../../contract/common';
import { ERROR_STATUS, errorBody, type ErrorCode } from '../../contract/errors';
import { widgetChoice, widgetView } from '../../contract/widget';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { envelope, merchantApi, TIMESTAMP_TOLERANCE_MS } from '../../contract/merchant-api';
import { webhookEvent } from '../../contract/webhook-events';

type JsonSchema = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

/** Amounts are decimal strings in the contract and JSON numbers on the wire: the document describes the wire. */
function override(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const wire = wireNumbers.get(ctx.zodSchema as z.ZodType)?.wire;
  if (!wire) return;
  const description = (ctx.jsonSchema.description as string | undefined) ?? 'An exact decimal amount.';
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  const number = { type: 'number', description: `${description} A JSON number written from exact decimal text: parse it losslessly.` };
  if (wire === 'number') Object.assign(ctx.jsonSchema, number);
  else Object.assign(ctx.jsonSchema, { anyOf: [number, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }] });
}

const common = { target: 'draft-2020-12' as const, unrepresentable: 'any' as const, override };

/** Every schema of the contract with an id, as OpenAPI components (their output shape: what Payframe sends). */
function components(): Record<string, JsonSchema> {
  // Referenced only through the registry below, so evaluate the modules that register them.
  void [checkoutView, errorBody, webhookEvent, widgetView];
  const { schemas } = z.toJSONSchema(z.globalRegistry, { ...common, io: 'output', uri: REF }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, strip(schema)]));
}

/** A request body, inlined (input shape: what a client may send). */
function input(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { ...common, io: 'input' }) as JsonSchema);
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (id: string) => ({ $ref: REF(id) });
const idOf = (schema: z.ZodType) => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('a response schema of the contract has no id');
  return id;
};

function errors(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [String(status), { description: `errorCode ${list.join(', ')}`, content: json(ref('Error')) }]),
  );
}

/** A public route of the checkout API (no signature: the id in the path is the secret). */
const checkoutApi = (method: 'get' | 'post', operationId: string, summary: string, rest: Record<string, unknown>) => ({
  [method]: { operationId, summary, tags: ['Checkout API'], ...rest },
});

const SIGNED_ERRORS: ErrorCode[] = [
  'INVALID_JSON',
  'VALIDATION_FAILED',
  'UNSUPPORTED_CURRENCY',
  'UNAUTHORIZED',
  'INVALID_SIGNATURE',
  'TIMESTAMP_OUT_OF_RANGE',
  'ACCOUNT_MISMATCH',
  'REPLAYED_REQUEST',
  'NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'INVALID_STATE',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  // Only a bug answers it; documented so that its body, too, has a known shape.
  'INTERNAL_ERROR',
];

const WEBHOOK_HEADERS = [
  ['Key', 'The subscription’s publicKey.'],
  ['Sign', 'Calypso’s signature: lowercase hex HMAC-SHA512 of the raw body, keyed with the secretKey string.'],
  ['webhook-id', 'Standard Webhooks: the event id (the body’s `id`).'],
  ['webhook-timestamp', 'Standard Webhooks: seconds since the epoch.'],
  ['webhook-signature', 'Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`.'],
].map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } }));

export function openApiDocument(opts: { serverUrl: string; sandbox: boolean }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(merchantApi)) {
    const replay =
      route.replay === 'retry'
        ? 'The same signed bytes may be sent again (a read).'
        : route.replay === 'with-idempotency-key'
          ? 'The same signed bytes are answered again only when the payload has an idempotencyKey; otherwise 401 REPLAYED_REQUEST.'
          : 'The same signed bytes sent again get 401 REPLAYED_REQUEST.';
    (paths[`/api/v1${route.path}`] ??= {})[route.method.toLowerCase()] = {
      operationId,
      summary: route.summary,
      description: `${route.calypso ? 'Calypso-compatible.' : 'Payframe’s own.'} ${replay} Bytes accepted by another route are refused.`,
      tags: ['Merchant API'],
      security: [{ Key: [], Sign: [] }],
      requestBody: { required: true, content: json(input(envelope(route.payload))) },
      responses: { '200': { description: 'OK', content: json(ref(idOf(route.response))) }, ...errors([...SIGNED_ERRORS, ...(route.errors ?? [])]) },
    };
  }
  const invoiceId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The invoice id (its secret, for the buyer).' };
  paths['/api/checkout/{id}'] = checkoutApi('get', 'getCheckoutView', 'The buyer’s view of an invoice. Public: the id is the secret.', {
    parameters: [invoiceId, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
    responses: {
      '200': { description: 'The view; ETag is its version.', headers: { ETag: { schema: { type: 'string' } } }, content: json(ref('CheckoutView')) },
      '304': { description: 'Unchanged since the version in If-None-Match.' },
      ...errors(['NOT_FOUND', 'INTERNAL_ERROR']),
    },
  });
  paths['/api/checkout/{id}/events'] = checkoutApi('get', 'streamCheckoutView', 'Server-sent events: the view now, then at every change (`event: invoice`, `id:` = version). Resume with Last-Event-ID.', {
    parameters: [invoiceId, { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
    responses: {
      '200': { description: 'Each event’s data is a CheckoutView.', content: { 'text/event-stream': { schema: ref('CheckoutView') } } },
      ...errors(['NOT_FOUND', 'RATE_LIMITED', 'INTERNAL_ERROR']),
    },
  });
  const widgetId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The widget’s public id (from its paymentUrl).' };
  paths['/api/widget/{id}'] = checkoutApi('get', 'getWidgetView', 'The buyer’s view of a payment widget: each coin at the quote shown now (locked until quoteExpiresAt). Public: the id is the secret.', {
    parameters: [widgetId],
    responses: { '200': { description: 'The view.', content: json(ref('WidgetView')) }, ...errors(['NOT_FOUND', 'RATE_LIMITED', 'INTERNAL_ERROR']) },
  });
  paths['/api/widget/{id}/choose'] = checkoutApi('post', 'chooseWidgetCoin', 'The buyer picks a coin: the widget’s open invoice in it, or a new SINGLE_FIAT invoice at the quote shown. Rate-limited per IP.', {
    parameters: [widgetId],
    requestBody: { required: true, content: json(input(widgetChoice)) },
    responses: {
      '200': {
        description: 'The invoice to pay.',
        content: json({ type: 'object', required: ['invoiceId', 'paymentUrl'], properties: { invoiceId: { type: 'string' }, paymentUrl: { type: 'string' } } }),
      },
      ...errors(['INVALID_JSON', 'VALIDATION_FAILED', 'UNSUPPORTED_CURRENCY', 'NOT_FOUND', 'INVALID_STATE', 'RATE_LIMITED', 'RATE_UNAVAILABLE', 'INTERNAL_ERROR']),
    },
  });
  const webhooks = Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type} delivered to a subscription’s url`,
          parameters: WEBHOOK_HEADERS,
          requestBody: { required: true, content: json(ref(idOf(webhookEvent.options.find((o) => o.shape.eventType.value === type)!))) },
          responses: { '2XX': { description: 'Received. Anything else is retried on Calypso’s schedule.' } },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Payframe',
      version: '1',
      description:
        'Payframe’s merchant API (Calypso-compatible: every call is a POST of `{timestamp, account, payload}` signed with Key and Sign), ' +
        `its public checkout API, and its webhooks. timestamp must be within ${TIMESTAMP_TOLERANCE_MS / 60_000} minutes of the server's clock. ` +
        'Amounts are JSON numbers written from exact decimal text.' +
        (opts.sandbox ? ' This server runs the sandbox chain (/api/sandbox/…, not described here).' : ''),
    },
    servers: [{ url: opts.serverUrl }],
    tags: [{ name: 'Merchant API' }, { name: 'Checkout API' }],
    paths,
    webhooks,
    components: {
      schemas: components(),
      securitySchemes: {
        Key: { type: 'apiKey', in: 'header', name: 'Key', description: 'Your API public key.' },
        Sign: { type: 'apiKey', in: 'header', name: 'Sign', description: 'Lowercase hex HMAC-SHA512 of the raw body, keyed with your API secret.' },
      },
    },
  };
}
