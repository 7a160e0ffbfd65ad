import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../db/dialect';
import type { Fields } from '../logger';
import { harnessPerTest } from '../testing/harness';
import { onError } from './errors';

describe('the error path', () => {
  const lines: { level: string; message: string; fields?: Fields }[] = [];
  const log = {
    info: (message: string, fields?: Fields) => lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: Fields) => lines.push({ level: 'warn', message, fields }),
    error: (message: string, fields?: Fields) => lines.push({ level: 'error', message, fields }),
  };
  const h = harnessPerTest({ log });
  beforeEach(async () => {
    lines.length = 0;
  });

  it('gives every request an id in X-Request-Id, which an error body repeats as its traceId', async () => {
    const ok = await h.call('/api/v1/invoice/list', {});
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await h.call('/api/v1/invoice', { id: 'inv_nothere' });
    const body = (await missing.json()) as { traceId: string };
    expect(body.traceId).toBe(missing.headers.get('x-request-id'));
    expect(body.traceId).not.toBe(ok.headers.get('x-request-id'));
  });

  it('keeps the id a proxy in front already gave the request', async () => {
    const res = await h.app.request('/api/checkout/inv_nothere', { headers: { 'X-Request-Id': 'lb-7f3a' } });
    expect(await res.json()).toMatchObject({ traceId: 'lb-7f3a', errorCode: 'NOT_FOUND' });
  });

  it('answers an internal failure with a 500 that tells nothing but the traceId, and logs it under that id', async () => {
    // PostgreSQL drops a table that others refer to only with the references (CASCADE, which SQLite does not know).
    await sql.raw(`DROP TABLE webhook_deliveries${onPostgres(h.db) ? ' CASCADE' : ''}`).execute(h.db);
    const res = await h.call('/api/v1/subscription/webhook/deliveries', {});
    const body = (await res.json()) as { traceId: string; errorCode: string; message: string };
    expect(res.status).toBe(500);
    expect(body).toMatchObject({ errorCode: 'INTERNAL_ERROR', message: expect.stringContaining('traceId') });
    expect(body.message).not.toMatch(/webhook_deliveries|SQLITE|no such table|does not exist/i);
    expect(lines).toContainEqual({
      level: 'error',
      message: 'unhandled error',
      fields: expect.objectContaining({ requestId: body.traceId, path: '/api/v1/subscription/webhook/deliveries', error: expect.stringMatching(/no such table|relation "webhook_deliveries" does not exist/) }),
    });
  });

  it('maps a domain refusal to its API code and status, naming the field', async () => {
    const res = await h.call('/api/v1/invoice/archive', { id: 'inv_nothere' });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 404, body: { errorCode: 'NOT_FOUND', message: 'payload.id: no invoice with this id' } });
  });
});

describe('onError', () => {
  it('keeps the 4xx status of an HTTPException the framework or a middleware raises', async () => {
    const app = new Hono()
      .use(requestId())
      .get('/teapot', () => {
        throw new HTTPException(405, { message: 'use POST' });
      })
      .get('/bad', () => {
        throw new HTTPException(422, { message: 'unprocessable' });
      });
    app.onError(onError({ info() {}, warn() {}, error() {} }));
    const res = await app.request('/teapot');
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 405, body: { errorCode: 'METHOD_NOT_ALLOWED', message: 'use POST' } });
    const other = await app.request('/bad');
    expect({ status: other.status, body: await other.json() }).toMatchObject({ status: 422, body: { errorCode: 'BAD_REQUEST' } });
  });
});
