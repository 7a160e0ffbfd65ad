import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../contract/enums';
import { merchantApi } from '../../contract/merchant-api';
import { harnessPerFile } from '../testing/harness';
import { expectMatchesOpenApi } from '../testing/openapi-check';
import { openApiDocument } from './openapi';
import { renderReference } from './reference';

describe('/api/openapi.json', () => {
  const h = harnessPerFile();

  const served = async () => {
    const res = await h.app.request('/api/openapi.json');
    expect(res.headers.get('content-type')).toContain('application/json');
    return (await res.json()) as Record<string, unknown> & { paths: Record<string, Record<string, { operationId: string }>>; webhooks: Record<string, unknown> };
  };

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(await served());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every merchant route, the checkout API and every webhook event', async () => {
    const doc = await served();
    for (const [name, route] of Object.entries(merchantApi)) expect(doc.paths[`/api/v1${route.path}`]?.[route.method.toLowerCase()]?.operationId).toBe(name);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/checkout/{id}', '/api/checkout/{id}/events']));
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it('shows amounts as JSON numbers, which is what goes over the wire', async () => {
    const doc = (await served()) as unknown as { components: { schemas: Record<string, { properties: Record<string, { type?: string }> }> } };
    expect(doc.components.schemas.InvoiceDTO!.properties.amount).toMatchObject({ type: 'number' });
    expect(doc.components.schemas.InvoicePaidData!.properties.realAmount).toMatchObject({ type: 'number' });
  });

  it('fails a test when an answer does not match it', async () => {
    const wrong = new Response(JSON.stringify({ id: 'inv_1', amount: '0.01' }), { status: 200, headers: { 'content-type': 'application/json' } });
    await expect(expectMatchesOpenApi('POST', '/api/v1/invoice', wrong)).rejects.toThrow(/does not match \/api\/openapi.json/);
    const undocumented = new Response('{}', { status: 418, headers: { 'content-type': 'application/json' } });
    await expect(expectMatchesOpenApi('POST', '/api/v1/invoice', undocumented)).rejects.toThrow(/418, which \/api\/openapi.json does not document/);
  });

  it('is what docs/reference.md shows (run `npm run docs:reference` after changing the contract)', () => {
    const committed = readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderReference(openApiDocument({ serverUrl: 'https://pay.example.com', sandbox: false })));
  });
});
