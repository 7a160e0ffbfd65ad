/**
 * The UTXO adapter as Payframe starts it (a runtime on a SQLite file)
 * against a real litecoind: across a restart, what happened on the chain
 * while Payframe was down is found from the checkpoint and credited once;
 * and a node of another network than the configured one is not followed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMerchant, type NewMerchant } from '../../merchants/merchants';
import { setXpub } from '../../merchants/xpubs';
import { createRuntime, type Runtime } from '../../runtime';
import { clientFor, FakeClock, silentLog, testSecrets } from '../../testing/harness';
import { litecoindPerFile } from '../../testing/litecoind';
import { tempDirPerTest } from '../../testing/temp-dir';
import { copyMigratedDb } from '../../testing/template-db';
import { litecoinRegtest, MERCHANT_VPUB, RLTC } from '../../testing/utxo-fixture';
import { waitFor } from '../../testing/wait-for';
import { parseAccountKey } from './keys';

const CHAIN = 'litecoin-regtest';

const node = litecoindPerFile();

describe('UTXO chain adapter across a restart', () => {
  const tmp = tempDirPerTest('payframe-utxo-restart-');
  let rt: Runtime;
  let merchant: NewMerchant;
  const clock = new FakeClock(Date.now());
  const secrets = testSecrets();
  const start = () => createRuntime({ dbFile: tmp.path('payframe.db'), secrets, clock, log: silentLog, publicUrl: 'http://p.test', sandbox: false, chainConfigs: [litecoinRegtest(node.rpcUrl)] });
  const invoice = (id: string) => rt.db.selectFrom('invoices').select(['state', 'amount_paid']).where('id', '=', id).executeTakeFirstOrThrow();
  const until = (id: string, state: string) =>
    waitFor(async () => {
      const row = await invoice(id);
      return row.state === state ? row : undefined;
    }, { what: `${id} ${state}` });
  const payments = (id: string) => rt.db.selectFrom('payments').select(['tx_hash', 'amount', 'removed']).where('invoice_id', '=', id).execute();
  const synced = async () => {
    const head = await node.client.getBlockCount();
    await waitFor(async () => (await rt.engine.chainHeight(CHAIN)) >= head, { what: `scan to block ${head}` });
  };
  const history = async (id: string) => (await rt.db.selectFrom('status_history').select('to_state').where('invoice_id', '=', id).orderBy('id').execute()).map((r) => r.to_state);

  beforeEach(async () => {
    await copyMigratedDb(tmp.path('payframe.db'));
    rt = await start();
    merchant = await createMerchant(rt.db, rt.secrets, { name: 'm', origins: [], now: clock.now() });
    const stored = await setXpub(rt.db, rt.secrets, merchant.account, CHAIN, MERCHANT_VPUB, clock.now(), (t) => parseAccountKey(t, RLTC));
    if (!stored.ok) throw new Error(stored.reason);
    await synced();
  });
  afterEach(async () => {
    await rt.close();
  });

  it('credits once a payment seen in the mempool and mined while Payframe was down', async () => {
    const inv = await clientFor(rt.app, merchant, clock).createInvoice({ amount: '0.02', currency: 'LTC', description: 'restart' });
    const txid = await node.send(inv.invoiceAddress, '0.02');
    await until(inv.id, 'MEM_POOL_FOUND');
    await rt.close();

    await node.mine();
    rt = await start();
    expect(await until(inv.id, 'PAID')).toMatchObject({ amount_paid: '2000000' });
    await rt.close();

    await node.mine(2);
    rt = await start();
    expect(await until(inv.id, 'COMPLETED')).toMatchObject({ amount_paid: '2000000' });
    expect(await payments(inv.id)).toEqual([{ tx_hash: txid, amount: '2000000', removed: 0 }]);
    expect(await history(inv.id)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED']);
  });

  it('finds a payment made and mined entirely while Payframe was down, from its checkpoint', async () => {
    const inv = await clientFor(rt.app, merchant, clock).createInvoice({ amount: '0.03', currency: 'LTC', description: 'down' });
    await rt.close();

    const txid = await node.send(inv.invoiceAddress, '0.03');
    await node.mine(3);
    rt = await start();
    expect(await until(inv.id, 'COMPLETED')).toMatchObject({ amount_paid: '3000000' });
    await synced();
    // Once more: a restart with nothing new changes nothing.
    await rt.close();
    rt = await start();
    await synced();
    expect(await payments(inv.id)).toEqual([{ tx_hash: txid, amount: '3000000', removed: 0 }]);
    expect(await invoice(inv.id)).toMatchObject({ state: 'COMPLETED', amount_paid: '3000000' });
    expect(await history(inv.id)).toEqual(['PENDING_PAYMENT', 'PAID', 'COMPLETED']);
  });
});

describe('UTXO chain adapter on a node of another network', () => {
  const tmp = tempDirPerTest('payframe-utxo-network-');

  it('follows nothing and says which network the node runs, without its credentials', async () => {
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    await copyMigratedDb(tmp.path('payframe.db'));
    // A mainnet Litecoin entry pointed at the regtest node.
    const config = litecoinRegtest(node.rpcUrl, { name: 'litecoin', bech32Prefix: 'ltc' });
    const rt = await createRuntime({ dbFile: tmp.path('payframe.db'), secrets: testSecrets(), clock: new FakeClock(Date.now()), log, publicUrl: 'http://p.test', sandbox: false, chainConfigs: [config] });
    try {
      const warning = await waitFor(() => warnings.find((w) => w.includes('runs "regtest"')), { what: 'the network mismatch logged' });
      expect(warning).toContain('chain litecoin has bech32Prefix "ltc", a network of "main"');
      expect(warning).not.toContain(new URL(node.rpcUrl).password);
      expect(await rt.engine.chainHeight('litecoin')).toBe(0);
      expect(await rt.db.selectFrom('chain_blocks').selectAll().execute()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
