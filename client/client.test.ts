import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calypsoSign } from '../contract/signatures';
import { clientFor, harnessPerTest } from '../server/testing/harness';
import { createClient, PayframeApiError } from './client';

describe('createClient', () => {
  const h = harnessPerTest();

  it('has one typed method per route, and answers in the contract’s shapes', async () => {
    const invoice = await h.client.createInvoice({ amount: '0.123456', currency: 'USDT_MATIC', description: 'Order 5', idempotencyKey: 'o-5' });
    expect(invoice).toMatchObject({ type: 'SINGLE', currency: 'USDT_MATIC', state: 'PENDING_PAYMENT', idempotencyKey: 'o-5' });
    expect(await h.client.getInvoice({ idempotencyKey: 'o-5' })).toEqual(invoice);
    expect((await h.client.listInvoices({})).items.map((i) => i.id)).toEqual([invoice.id]);
    expect((await h.client.archiveInvoice({ id: invoice.id })).state).toBe('ARCHIVED');
  });

  it('gives amounts back as their exact decimal text, where JSON.parse would round', async () => {
    const invoice = await h.client.createInvoice({ amount: '123456789012345.12345678', currency: 'ETH', description: 'Big' });
    expect(invoice.amount).toBe('123456789012345.12345678');
    expect(invoice.totalDebitAmount).toBe('123456789012345.12345678');
  });

  it('throws PayframeApiError with the error code, the message and the traceId', async () => {
    const err = await h.client.getInvoice({ id: 'inv_nothere' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayframeApiError);
    expect(err).toMatchObject({ status: 404, errorCode: 'NOT_FOUND', message: '/invoice: payload.id: no invoice with this id', traceId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('signs the same call made again in the same millisecond with a later timestamp, so none is taken for a replay', async () => {
    const payload = { amount: 0.01, currency: 'ETH', description: 'Same' };
    const answers = await Promise.all([h.client.createInvoice(payload), h.client.createInvoice(payload), h.client.createInvoice(payload)]);
    expect(new Set(answers.map((a) => a.id)).size).toBe(3);
    // In one millisecond of a stopped clock: the same payload again takes the next; another payload keeps it.
    const client = createClient({ baseUrl: 'http://x.test', ...h.merchant, now: () => 1_000 });
    const timestampOf = (payload: unknown) => (JSON.parse(client.sign({ method: 'POST', path: '/invoice' }, payload).body) as { timestamp: number }).timestamp;
    expect([timestampOf({ id: 'a' }), timestampOf({ id: 'b' }), timestampOf({ id: 'a' }), timestampOf({ id: 'c' }), timestampOf({ id: 'a' })]).toEqual([1_000, 1_000, 1_001, 1_001, 1_002]);
  });

  it('keeps a busy client at the clock: different calls in one millisecond share it', () => {
    let clock = 5_000;
    const client = createClient({ baseUrl: 'http://x.test', ...h.merchant, now: () => clock });
    const timestamps = Array.from({ length: 3_000 }, (_, i) => {
      if (i % 100 === 99) clock++;
      return (JSON.parse(client.sign({ method: 'POST', path: '/invoice/single/create' }, { description: `order ${i}` }).body) as { timestamp: number }).timestamp;
    });
    // Never ahead of the clock (taking a millisecond per call, 3,000 calls would have run 2,970 ms ahead of it).
    expect(Math.max(...timestamps)).toBe(clock);
  });

  it('signs the exact bytes it sends with HMAC-SHA512 of the secret, and names the route in them', () => {
    const request = h.client.sign({ method: 'POST', path: '/invoice/list' }, { limit: 5 }, { pretty: true });
    expect(request.headers.Sign).toBe(calypsoSign(h.merchant.secret, request.body));
    expect(request.body).toContain('\n  "path": "/invoice/list"');
    expect(request.url).toBe('http://payframe.test/api/v1/invoice/list');
  });

  it('says so when the answer is not Payframe’s', async () => {
    const client = createClient({ baseUrl: 'http://x.test', ...h.merchant, fetch: async () => new Response('<html>502 Bad Gateway</html>', { status: 502 }) });
    await expect(client.listInvoices({})).rejects.toMatchObject({ errorCode: 'UNEXPECTED_RESPONSE', status: 502, message: expect.stringContaining('not JSON') });
    const other = clientFor(h.app, { ...h.merchant, secret: 'sk_wrong' }, h.clock);
    await expect(other.listInvoices({})).rejects.toMatchObject({ status: 401, errorCode: 'INVALID_SIGNATURE' });
  });
});

describe('payframe/client as a package', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

  /** Every file the client's entry point loads, following relative imports. */
  function graph(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
      if (spec!.startsWith('.')) graph(resolve(dirname(file), `${spec}.ts`), seen);
    }
    return seen;
  }

  it('holds no server code: its entry point reaches only client/ and contract/', () => {
    const files = [...graph(join(root, 'client/index.ts'))].map((f) => relative(root, f));
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((f) => !f.startsWith('client/') && !f.startsWith('contract/'))).toEqual([]);
  });

  it('needs nothing but zod and node built-ins', () => {
    const packages = new Set<string>();
    for (const file of graph(join(root, 'client/index.ts'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^'.][^']*)'/gm)) packages.add(spec!.startsWith('node:') ? 'node:' : spec!);
    }
    expect([...packages].sort()).toEqual(['node:', 'zod']);
  });

  it('is the package’s `payframe/client` export', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['./client']).toBe('./client/index.ts');
    const viaPackage = await import('payframe/client');
    expect(viaPackage.createClient).toBe(createClient);
  });
});
