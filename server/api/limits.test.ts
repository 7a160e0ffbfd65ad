/**
 * Abuse limits on the merchant API and the event streams. The harness's
 * requests carry no socket, so these tests say which client they are with
 * X-Forwarded-For behind one trusted proxy (TRUST_PROXY=1), as a load
 * balancer would set it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../http/rate-limit';
import { createHarness, type Harness } from '../testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.destroy();
  h = undefined;
});

const start = async (limits: Partial<Limits>) => (h = await createHarness({ limits: { trustProxy: 1, ...limits } }));
const from = (ip: string) => ({ 'X-Forwarded-For': ip });
const read = (harness: Harness, ip: string) => harness.send(harness.sign('/api/v1/invoice/list', {}), from(ip));

describe('merchant API rate limits', () => {
  it('answers a flood from one address with 429 and Retry-After at the default limit, and serves other addresses', async () => {
    const harness = await start({});
    const burst = DEFAULT_LIMITS.perIp * 2;
    const statuses: number[] = [];
    // Unsigned requests: the address is counted before anything else is looked at.
    for (let i = 0; i < burst + 5; i++) statuses.push((await harness.app.request('/api/v1/invoice/list', { method: 'POST', headers: from('203.0.113.7'), body: '{}' })).status);
    expect(statuses.slice(0, burst).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(burst)).toEqual([429, 429, 429, 429, 429]);
    const limited = await harness.app.request('/api/v1/invoice/list', { method: 'POST', headers: from('203.0.113.7'), body: '{}' });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ errorCode: 'RATE_LIMITED', message: expect.stringContaining('too many requests from this address') });
    expect((await read(harness, '198.51.100.1')).status).toBe(200);
    harness.clock.advance(1000);
    expect((await read(harness, '203.0.113.7')).status).toBe(200);
  });

  it('limits one API key across addresses, and not another merchant', async () => {
    const harness = await start({ perKey: 2 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await read(harness, `192.0.2.${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const other = await harness.newMerchant();
    expect((await harness.send(harness.sign('/api/v1/invoice/list', {}, { merchant: other }))).status).toBe(200);
  });

  it('refuses a key after too many wrong signatures, even a right one, until the minute has passed', async () => {
    const harness = await start({ failedSignaturesPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const res = await harness.send(harness.sign('/api/v1/invoice/list', {}), { Sign: 'ab'.repeat(64) });
      expect(res.status).toBe(401);
    }
    const locked = await read(harness, '192.0.2.1');
    expect({ status: locked.status, retry: locked.headers.get('retry-after') }).toEqual({ status: 429, retry: '20' });
    harness.clock.advance(20_000);
    expect((await read(harness, '192.0.2.1')).status).toBe(200);
  });
});

describe('event stream caps', () => {
  const stream = (harness: Harness, id: string, ip: string, signal: AbortSignal) =>
    harness.app.request(`/api/checkout/${id}/events`, { headers: from(ip), signal });

  it('caps the open streams of one invoice and of one address, and frees a place when a stream closes', async () => {
    const harness = await start({ streamsPerInvoice: 2, streamsPerIp: 3 });
    const [a, b] = [await harness.createInvoice(), await harness.createInvoice()];
    const open = Array.from({ length: 4 }, () => new AbortController());
    const first = await stream(harness, a.id, '192.0.2.1', open[0]!.signal);
    expect(first.status).toBe(200);
    expect((await stream(harness, a.id, '192.0.2.2', open[1]!.signal)).status).toBe(200);
    const third = await stream(harness, a.id, '192.0.2.3', new AbortController().signal);
    expect({ status: third.status, retry: third.headers.get('retry-after'), body: await third.json() }).toMatchObject({
      status: 429,
      retry: '10',
      body: { errorCode: 'RATE_LIMITED', message: expect.stringContaining('this invoice has 2') },
    });
    // One address: three streams in all, whatever the invoices.
    expect((await stream(harness, b.id, '192.0.2.1', open[2]!.signal)).status).toBe(200);
    expect((await stream(harness, b.id, '192.0.2.1', open[3]!.signal)).status).toBe(200);
    const fourth = await stream(harness, b.id, '192.0.2.1', new AbortController().signal);
    expect(await fourth.json()).toMatchObject({ errorCode: 'RATE_LIMITED', message: expect.stringContaining('this address has 3') });

    // The buyer leaves: the stream's body is cancelled, and its place is free again.
    await first.body!.cancel();
    await expect.poll(async () => (await stream(harness, a.id, '192.0.2.9', new AbortController().signal)).status).toBe(200);
    for (const c of open) c.abort();
  });
});
