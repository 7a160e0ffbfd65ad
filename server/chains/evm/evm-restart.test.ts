import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther, type Hex } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../invoices/state-machine';
import { createMerchant, type NewMerchant } from '../../merchants/merchants';
import { setXpub } from '../../merchants/xpubs';
import { createRuntime, type Runtime } from '../../runtime';
import { anvil, chainConfig, chainNow, MERCHANT_XPUB, nextBlockAt, sendEth, useAnvilChain, waitFor } from '../../testing/evm-fixture';
import { clientFor, FakeClock, silentLog, testSecrets } from '../../testing/harness';

useAnvilChain();

describe('EVM chain adapter across a restart', () => {
  let dir: string;
  let clock: FakeClock;
  let rt: Runtime;
  let merchant: NewMerchant;
  const secrets = testSecrets();
  const start = () => createRuntime({ dbFile: join(dir, 'payframe.db'), secrets, clock, log: silentLog, publicUrl: 'http://p.test', sandbox: false, chainConfigs: [chainConfig()] });
  const create = async (amount: string) => {
    const inv = await clientFor(rt.app, merchant, clock).createInvoice({ amount, currency: 'ETH', description: `r ${amount}` });
    return inv as typeof inv & { invoiceAddress: Hex };
  };
  const invoice = (id: string) =>
    rt.db.selectFrom('invoices').select(['state', 'intervention_type', 'amount_paid', 'expires_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const synced = async () => {
    const head = Number(await anvil.public.getBlockNumber());
    await waitFor(() => rt.engine.chainHeight('anvil'), (h) => h >= head, `scan to block ${head}`);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-restart-'));
    clock = new FakeClock(await chainNow());
    rt = await start();
    merchant = await createMerchant(rt.db, rt.secrets, { name: 'm', origins: [], now: clock.now() });
    await setXpub(rt.db, rt.secrets, merchant.account, 'evm', MERCHANT_XPUB, clock.now());
  });
  afterEach(async () => {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('credits payments made while Payframe was down exactly once', async () => {
    const a = await create('0.01');
    const b = await create('0.02');
    await synced();
    await rt.close();

    await sendEth(1, a.invoiceAddress, '0.01');
    await anvil.mine(2);
    await sendEth(1, b.invoiceAddress, '0.02');
    await anvil.mine(3);

    rt = await start();
    expect(await waitFor(() => invoice(a.id), (r) => r.state === 'COMPLETED', 'a completed')).toMatchObject({ amount_paid: parseEther('0.01').toString() });
    expect(await waitFor(() => invoice(b.id), (r) => r.state === 'COMPLETED', 'b completed')).toMatchObject({ amount_paid: parseEther('0.02').toString() });

    // Once more: a restart that rescans nothing new changes nothing.
    await rt.close();
    rt = await start();
    await anvil.mine();
    await synced();
    const payments = await rt.db.selectFrom('payments').select(['invoice_id']).execute();
    expect(payments.map((p) => p.invoice_id).sort()).toEqual([a.id, b.id].sort());
  }, 60_000);

  it('pays an invoice normally when its payment was mined before expiry and scanned after it', async () => {
    const inv = await create('0.01');
    await synced();
    await rt.close();

    await sendEth(1, inv.invoiceAddress, '0.01');
    await anvil.mine(3);
    clock.advance(DAY_MS + 1000);

    rt = await start();
    // The expiry sweep runs before the scan has caught up: it must wait for the chain, not archive the invoice by the clock.
    expect(await rt.engine.expireDue()).toBe(0);
    expect(await waitFor(() => invoice(inv.id), (r) => ['COMPLETED', 'PENDING_INTERVENTION'].includes(r.state), 'the payment')).toMatchObject({ state: 'COMPLETED', intervention_type: null });
    const history = await rt.db.selectFrom('status_history').select('to_state').where('invoice_id', '=', inv.id).execute();
    expect(history.map((r) => r.to_state)).not.toContain('ARCHIVED');
  });

  it('expires an unpaid invoice once the scan has caught up past its expiry', async () => {
    const inv = await create('0.01');
    await synced();
    await rt.close();
    await anvil.mine(2);
    clock.advance(DAY_MS + 1000);

    rt = await start();
    expect(await rt.engine.expireDue()).toBe(0);
    const head = Number(await anvil.public.getBlockNumber());
    await waitFor(() => rt.engine.chainHeight('anvil'), (height) => height >= head, 'the scan to catch up');
    await waitFor(() => rt.engine.expireDue(), (n) => n === 1, 'the expiry');
    expect((await invoice(inv.id)).state).toBe('ARCHIVED');
  });

  it('still detects a late payment mined in the late window when Payframe comes back after the window closed', async () => {
    const inv = await create('0.01');
    await synced();
    clock.advance(DAY_MS + 1000);
    await rt.engine.expireDue();
    const { expires_at } = await invoice(inv.id);
    await rt.close();

    await sendEth(1, inv.invoiceAddress, '0.01');
    await nextBlockAt(expires_at + 60 * 60 * 1000);
    await anvil.mine(3);
    clock.advance(DAY_MS);

    rt = await start();
    expect(await waitFor(() => invoice(inv.id), (r) => r.state !== 'ARCHIVED', 'the late payment')).toMatchObject({
      state: 'PENDING_INTERVENTION',
      intervention_type: 'LATE_PAYMENT',
      amount_paid: parseEther('0.01').toString(),
    });
  });
});

describe('EVM chain adapter with an unreachable node', () => {
  it('keeps the server up, retries with backoff and does not log the RPC URL', async () => {
    const warnings: string[] = [];
    const log = { ...silentLog, warn: (m: string) => warnings.push(m) };
    const dir = mkdtempSync(join(tmpdir(), 'payframe-rpcdown-'));
    const config = { ...chainConfig(), rpcUrl: 'http://127.0.0.1:9/secret-api-key', pollIntervalMs: 20 };
    const rt = await createRuntime({ dbFile: join(dir, 'db'), secrets: testSecrets(), clock: new FakeClock(), log, publicUrl: 'http://p.test', sandbox: false, chainConfigs: [config] });
    try {
      await waitFor(async () => warnings.length, (n) => n >= 2, 'two failed polls');
      expect((await rt.app.request('/health')).status).toBe(200);
      expect(warnings.join('\n')).not.toContain('secret-api-key');
      expect(await rt.db.selectFrom('chain_blocks').selectAll().execute()).toHaveLength(0);
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
