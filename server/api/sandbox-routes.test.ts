import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMerchant } from '../merchants/merchants';
import { createRuntime } from '../runtime';
import { PayframeApiError } from '../../client/client';
import { qrSvg } from '../pages/qr';
import { clientFor, FakeClock, type Harness, harnessPerTest, silentLog, testSecrets } from '../testing/harness';
import { copyMigratedDb } from '../testing/template-db';

const post = (h: Harness, path: string, body: string) => h.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('sandbox routes', () => {
  const h = harnessPerTest();

  it('puts a payment into the mempool and returns its hash', async () => {
    const inv = await h.createInvoice({ amount: 0.001 });
    const res = await post(h, '/api/sandbox/payments', JSON.stringify({ address: inv.invoiceAddress, currency: 'ETH', amount: '0.001' }));
    expect(res.status).toBe(200);
    const { txHash } = (await res.json()) as { txHash: string };
    expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const row = await h.db.selectFrom('payments').selectAll().where('tx_hash', '=', txHash).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ amount: '1000000000000000', block_number: null, invoice_id: inv.id });
  });

  it('offers BTC: a regtest bech32 address, a BIP-21 URI, and a payment to it that completes the invoice', async () => {
    const first = await h.createInvoice({ amount: '0.0015', currency: 'BTC', description: 'btc 1' });
    const second = await h.createInvoice({ amount: '0.0015', currency: 'BTC', description: 'btc 2' });
    expect(first.invoiceAddress).toMatch(/^bcrt1q[02-9ac-hj-np-z]{38}$/);
    expect(second.invoiceAddress).not.toBe(first.invoiceAddress);
    const view = (await (await h.app.request(`/api/checkout/${first.id}`)).json()) as { address: string; paymentUri: string; currency: { network: string } };
    expect(view).toMatchObject({ address: first.invoiceAddress, paymentUri: `bitcoin:${first.invoiceAddress}?amount=0.0015`, currency: { network: 'bitcoin' } });
    // The QR code carries scheme and address in upper case (alphanumeric mode: a smaller code).
    const svg = await (await h.app.request(`/qr/${first.id}/1.svg`)).text();
    expect(svg).toBe(await qrSvg(`BITCOIN:${first.invoiceAddress.toUpperCase()}?amount=0.0015`));
    expect(svg).not.toBe(await qrSvg(view.paymentUri));
    const res = await post(h, '/api/sandbox/payments', JSON.stringify({ address: first.invoiceAddress.toUpperCase(), currency: 'BTC', amount: '0.0015' }));
    expect(res.status).toBe(200);
    await h.mine(3);
    expect(await h.state(first.id)).toMatchObject({ state: 'COMPLETED', amountPaid: '0.0015' });
  });

  it('mines the requested number of blocks', async () => {
    const res = await post(h, '/api/sandbox/mine', JSON.stringify({ blocks: 4 }));
    expect(await res.json()).toMatchObject({ height: 4 });
    expect(await (await post(h, '/api/sandbox/mine', '')).json()).toMatchObject({ height: 5 });
  });

  it.each([
    ['/api/sandbox/payments', '{"address":"0x12","currency":"ETH","amount":"1"}', 'address'],
    ['/api/sandbox/payments', '{"address":"bcrt1qMixedCase0000000","currency":"BTC","amount":"1"}', 'address'],
    ['/api/sandbox/payments', '{"address":"0x0000000000000000000000000000000000000001","currency":"XYZ","amount":"1"}', 'currency'],
    ['/api/sandbox/payments', '{"address":"0x0000000000000000000000000000000000000001","currency":"ETH","amount":"-1"}', 'amount'],
    ['/api/sandbox/payments', '{"address":"0x0000000000000000000000000000000000000001","currency":"ETH","amount":1}', 'amount'],
    ['/api/sandbox/mine', '{"blocks":0}', 'blocks'],
    ['/api/sandbox/mine', '{not json', 'JSON'],
  ])('rejects %s %s with a 400 naming %s', async (path, body, field) => {
    const res = await post(h, path, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(field);
    expect(await h.engine.chainHeight('sandbox')).toBe(0);
    expect(await h.db.selectFrom('payments').selectAll().execute()).toHaveLength(0);
  });

  it('moves the fixed rates a new quote uses, keeping the other pairs, and answers the whole table', async () => {
    const res = await post(h, '/api/sandbox/rates', JSON.stringify({ rates: { ETH_USD: '3100.50', USDT_USD: '1.0002' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rates: { ETH_USD: '3100.5', USDT_USD: '1.0002', USDC_USD: '1' } });
    expect(await h.rates.rate({ base: 'ETH', quote: 'USD' })).toMatchObject({ rate: '3100.5', source: 'fixed' });
  });

  it.each([
    ['{"rates":{"ETH_USD":3000}}', 'rates.ETH_USD'],
    ['{"rates":{"ETH_USD":"3000","ETH_XYZ":"1"}}', 'rates.ETH_XYZ: XYZ is not an ISO 4217 currency'],
    ['{"rates":{"eth-usd":"1"}}', 'rates.eth-usd: a pair is BASE_QUOTE'],
    ['{"rates":{"ETH_USD":"-1"}}', 'rates.ETH_USD: the rate must be a positive decimal string'],
    ['{}', 'rates'],
  ])('refuses the rates %s with a 400 naming %s, changing nothing', async (body, message) => {
    const res = await post(h, '/api/sandbox/rates', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(await h.rates.rate({ base: 'ETH', quote: 'USD' })).toMatchObject({ rate: '3000' });
  });

  it('refuses a body over 16 KiB with 413, also when it comes chunked without a content-length', async () => {
    const big = JSON.stringify({ blocks: 1, pad: 'x'.repeat(20_000) });
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    for (const body of [big, chunked]) {
      const res = await h.app.request('/api/sandbox/mine', { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ errorCode: 'PAYLOAD_TOO_LARGE' });
    }
    expect(await h.engine.chainHeight('sandbox')).toBe(0);
  });

  it('refuses a reorg drop list of more than 1000 hashes', async () => {
    const res = await post(h, '/api/sandbox/reorg', JSON.stringify({ depth: 1, drop: Array(1001).fill('0x1') }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('drop');
  });
});

describe('with the sandbox off', () => {
  it('has no sandbox routes and no chain for invoices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payframe-test-'));
    await copyMigratedDb(join(dir, 'db.sqlite'));
    const clock = new FakeClock();
    const rt = await createRuntime({ dbFile: join(dir, 'db.sqlite'), secrets: testSecrets(), clock, log: silentLog, publicUrl: 'http://p.test', sandbox: false });
    try {
      expect((await rt.app.request('/api/sandbox/mine', { method: 'POST', body: '{}' })).status).toBe(404);
      const merchant = await createMerchant(rt.db, rt.secrets, { name: 'm', origins: [], now: clock.now() });
      const refused = await clientFor(rt.app, merchant, clock).createInvoice({ amount: 1, currency: 'ETH', description: 'x' }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(PayframeApiError);
      expect(refused).toMatchObject({ status: 400, errorCode: 'UNSUPPORTED_CURRENCY' });
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('across a restart', () => {
  it('keeps the payments in its mempool, so a restart does not strand an invoice in MEM_POOL_FOUND', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payframe-test-'));
    await copyMigratedDb(join(dir, 'db.sqlite'));
    const clock = new FakeClock();
    const secrets = testSecrets();
    const start = () => createRuntime({ dbFile: join(dir, 'db.sqlite'), secrets, clock, log: silentLog, publicUrl: 'http://p.test', sandbox: true });
    let rt = await start();
    try {
      const merchant = await createMerchant(rt.db, rt.secrets, { name: 'm', origins: [], now: clock.now() });
      const inv = await clientFor(rt.app, merchant, clock).createInvoice({ amount: '0.001', currency: 'ETH', description: 'x' });
      await rt.sandbox!.mine(2);
      await rt.sandbox!.pay({ to: inv.invoiceAddress, currency: 'ETH', amount: 1_000_000_000_000_000n });
      await rt.close();

      rt = await start();
      const state = async () => (await rt.db.selectFrom('invoices').select(['state', 'amount_paid']).where('id', '=', inv.id).executeTakeFirstOrThrow());
      expect(await state()).toMatchObject({ state: 'MEM_POOL_FOUND' });
      expect(await rt.sandbox!.mine(1)).toMatchObject({ number: 3 });
      expect(await state()).toMatchObject({ state: 'PAID', amount_paid: '1000000000000000' });
      // The payment was the same transaction, credited once.
      expect(await rt.db.selectFrom('payments').select('tx_hash').execute()).toHaveLength(1);
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
