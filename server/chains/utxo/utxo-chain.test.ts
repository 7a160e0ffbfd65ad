/**
 * The UTXO chain adapter inside a real Payframe (the harness's runtime, a
 * real SQLite file) against a real Litecoin Core node in regtest: payments
 * from the node's wallet, blocks mined on request, reorgs by invalidateblock.
 */
import { hex } from '@scure/base';
import { beforeEach, describe, expect, it } from 'vitest';
import { setXpub } from '../../merchants/xpubs';
import { FakeClock, harnessPerTest, type InvoiceResponse } from '../../testing/harness';
import { litecoindPerFile } from '../../testing/litecoind';
import { litecoinRegtest, MERCHANT_VPUB, merchantDescriptorKey, RLTC } from '../../testing/utxo-fixture';
import { waitFor } from '../../testing/wait-for';
import { formatUnits } from '../../money/amount';
import { parseAccountKey } from './keys';
import { addressToScript } from './script';

const CHAIN = 'litecoin-regtest';

const node = litecoindPerFile();

interface Unspent {
  txid: string;
  vout: number;
  address: string;
}

/** Pays from the wallet spending only `coins` (and the fee from them): what a buyer's wallet with just those coins would do. */
async function sendFrom(coins: readonly Unspent[], address: string, amount: string): Promise<string> {
  const all = (await node.rpc('listunspent', [0])) as Unspent[];
  const others = all.filter((u) => !coins.some((c) => c.txid === u.txid && c.vout === u.vout)).map(({ txid, vout }) => ({ txid, vout }));
  await node.rpc('lockunspent', [false, others]);
  try {
    return await node.send(address, amount);
  } finally {
    await node.rpc('lockunspent', [true]);
  }
}

/** The wallet's unspent outputs of `txid` that do not pay `except` (a transaction's change). */
async function changeOf(txid: string, except: string): Promise<Unspent[]> {
  const all = (await node.rpc('listunspent', [0])) as Unspent[];
  return all.filter((u) => u.txid === txid && u.address !== except);
}

/**
 * One transaction with two outputs to `address` (sendmany takes an address
 * once): written by hand with no inputs, funded, signed and sent by the wallet.
 */
async function sendTwoOutputs(address: string, units: [bigint, bigint]): Promise<string> {
  const script = addressToScript(address, RLTC)!;
  const le64 = (n: bigint) => hex.encode(new Uint8Array(new BigUint64Array([n]).buffer));
  const output = (n: bigint) => `${le64(n)}${(script.length / 2).toString(16).padStart(2, '0')}${script}`;
  const raw = `02000000` + `00` + `02` + output(units[0]) + output(units[1]) + `00000000`;
  const { hex: funded } = (await node.rpc('fundrawtransaction', [raw])) as { hex: string };
  const { hex: signed } = (await node.rpc('signrawtransactionwithwallet', [funded])) as { hex: string };
  return (await node.rpc('sendrawtransaction', [signed])) as string;
}

/**
 * Double-spends `txid`, which pays `invoiceAddress`, in a block: the same
 * inputs, the invoice's output sent back to the wallet instead, mined with
 * generateblock (Litecoin Core has no replace-by-fee in its mempool).
 */
async function doubleSpendInBlock(txid: string, invoiceAddress: string): Promise<string> {
  const tx = await node.client.getRawTransaction(txid);
  const back = await node.newAddress();
  const inputs = tx.vin.flatMap((i) => (i.kind === 'spend' ? [{ txid: i.txid, vout: i.vout }] : []));
  const outputs = tx.vout.flatMap((o) => ('units' in o ? [{ [o.address === invoiceAddress ? back : o.address!]: formatUnits(o.units, 8) }] : []));
  const raw = (await node.rpc('createrawtransaction', [inputs, outputs])) as string;
  const { hex: signed } = (await node.rpc('signrawtransactionwithwallet', [raw])) as { hex: string };
  const { hash } = (await node.rpc('generateblock', [await node.newAddress(), [signed]])) as { hash: string };
  return hash;
}

describe('UTXO chain adapter against litecoind', () => {
  // Blocks carry the node's (wall-clock) time; the fake clock starts there.
  const h = harnessPerTest(() => ({ sandbox: false, chainConfigs: [litecoinRegtest(node.rpcUrl)], clock: new FakeClock(Date.now()) }));
  const view = async (id: string) => (await (await h.app.request(`/api/checkout/${id}`)).json()) as { state: string; interventionType: string | null; amountPaid: string; address: string; paymentUri: string | null; confirmations: { current: number } };
  const until = (id: string, what: string, ok: (v: Awaited<ReturnType<typeof view>>) => boolean) =>
    waitFor(async () => {
      const v = await view(id);
      return ok(v) ? v : undefined;
    }, { what: `${id} ${what}` });
  const history = async (id: string) => (await h.db.selectFrom('status_history').select(['to_state', 'intervention_type']).where('invoice_id', '=', id).orderBy('id').execute()).map((r) => r.intervention_type ? `${r.to_state}:${r.intervention_type}` : r.to_state);
  const payments = (id: string) => h.db.selectFrom('payments').select(['tx_hash', 'log_index', 'amount', 'block_hash', 'removed']).where('invoice_id', '=', id).orderBy('id').execute();
  /** Waits until Payframe has scanned the node's best block. */
  const synced = async () => {
    const head = await node.client.getBlockCount();
    await waitFor(async () => (await h.engine.chainHeight(CHAIN)) >= head, { what: `scan to block ${head}` });
  };
  const create = (amount: string, description = `order ${amount}`): Promise<InvoiceResponse> => h.createInvoice({ amount, currency: 'LTC', description });

  beforeEach(async () => {
    const check = (text: string) => parseAccountKey(text, RLTC);
    const stored = await setXpub(h.db, h.secrets, h.merchant.account, CHAIN, MERCHANT_VPUB, h.clock.now(), check);
    if (!stored.ok) throw new Error(stored.reason);
    await synced();
  });

  it("derives invoice addresses the node's deriveaddresses gives for wpkh(<tpub>/0/*), one index per invoice, even when created at once", async () => {
    const expected = await node.deriveAddresses(`wpkh(${merchantDescriptorKey()}/0/*)`, [0, 5]);
    const invoices = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((d) => create('0.01', d)));
    const rows = await h.db.selectFrom('invoices').select(['address', 'address_index']).where('chain', '=', CHAIN).orderBy('address_index').execute();
    expect(rows.map((r) => r.address_index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.address)).toEqual(expected);
    expect(new Set(invoices.map((i) => i.invoiceAddress))).toEqual(new Set(expected));
  });

  it('refuses an LTC invoice for a merchant without a key for the chain, naming the command, and creates nothing', async () => {
    const other = await h.newMerchant();
    const res = await h.call('/api/v1/invoice/single/create', { amount: 0.01, currency: 'LTC', description: 'x' }, { merchant: other });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(`set-xpub --account <account> --chain ${CHAIN}`);
    expect(await h.db.selectFrom('invoices').selectAll().where('account', '=', other.account).execute()).toEqual([]);
  });

  it('follows a payment from the wallet from MEM_POOL_FOUND to PAID and COMPLETED, with its BIP-21 URI', async () => {
    const inv = await create('0.0123');
    const before = await view(inv.id);
    expect(before.paymentUri).toBe(`litecoin:${inv.invoiceAddress}?amount=0.0123`);
    const txid = await node.send(inv.invoiceAddress, '0.0123');
    await until(inv.id, 'MEM_POOL_FOUND', (v) => v.state === 'MEM_POOL_FOUND');
    await node.mine();
    expect(await until(inv.id, 'PAID', (v) => v.state === 'PAID')).toMatchObject({ amountPaid: '0.0123', paymentUri: null });
    await node.mine();
    await synced();
    expect((await view(inv.id)).state).toBe('PAID');
    await node.mine();
    await until(inv.id, 'COMPLETED', (v) => v.state === 'COMPLETED');
    expect(await history(inv.id)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED']);
    expect(await payments(inv.id)).toEqual([{ tx_hash: txid, log_index: expect.any(Number), amount: '1230000', block_hash: expect.any(String), removed: 0 }]);
  });

  it('completes an underpaid invoice on a top-up that spends the first payment\'s change', async () => {
    const inv = await create('0.01');
    const first = await node.send(inv.invoiceAddress, '0.004');
    await node.mine();
    await until(inv.id, 'UNDERPAY', (v) => v.interventionType === 'UNDERPAY');
    await sendFrom(await changeOf(first, inv.invoiceAddress), inv.invoiceAddress, '0.006');
    await node.mine();
    expect(await until(inv.id, 'PAID', (v) => v.state === 'PAID')).toMatchObject({ amountPaid: '0.01', interventionType: null });
    expect(await payments(inv.id)).toHaveLength(2);
  });

  it('holds a top-up from coins unrelated to the first payment for the merchant (more than one sender)', async () => {
    const inv = await create('0.01');
    // A coin at an address of its own, from a transaction the first payment has nothing to do with.
    const outsiderAddress = await node.newAddress();
    const funding = await node.send(outsiderAddress, '1');
    await node.mine();
    const unspent = (await node.rpc('listunspent')) as Unspent[];
    await sendFrom(unspent.filter((u) => u.txid !== funding), inv.invoiceAddress, '0.004');
    await node.mine();
    await until(inv.id, 'UNDERPAY', (v) => v.interventionType === 'UNDERPAY');
    await sendFrom(unspent.filter((u) => u.txid === funding && u.address === outsiderAddress), inv.invoiceAddress, '0.006');
    await node.mine();
    expect(await until(inv.id, 'MULTIPLE_SENDERS', (v) => v.interventionType === 'MULTIPLE_SENDERS')).toMatchObject({ state: 'PENDING_INTERVENTION', amountPaid: '0.01' });
  });

  it('withdraws a mempool payment that a block double-spends, and credits nothing', async () => {
    const inv = await create('0.01');
    const txid = await node.send(inv.invoiceAddress, '0.01');
    await until(inv.id, 'MEM_POOL_FOUND', (v) => v.state === 'MEM_POOL_FOUND');
    await doubleSpendInBlock(txid, inv.invoiceAddress);
    expect(await node.client.getRawMempool()).not.toContain(txid);
    expect(await until(inv.id, 'back to PENDING_PAYMENT', (v) => v.state === 'PENDING_PAYMENT')).toMatchObject({ amountPaid: '0' });
    expect(await payments(inv.id)).toEqual([{ tx_hash: txid, log_index: expect.any(Number), amount: '1000000', block_hash: null, removed: 1 }]);
    await node.mine(3);
    await synced();
    expect(await view(inv.id)).toMatchObject({ state: 'PENDING_PAYMENT', amountPaid: '0' });
  });

  it('adds up two outputs of one transaction to the invoice, each a payment of its own', async () => {
    const inv = await create('0.01');
    const txid = await sendTwoOutputs(inv.invoiceAddress, [300_000n, 700_000n]);
    await until(inv.id, 'MEM_POOL_FOUND', (v) => v.state === 'MEM_POOL_FOUND' && v.amountPaid === '0.01');
    await node.mine();
    await until(inv.id, 'PAID', (v) => v.state === 'PAID');
    const rows = await payments(inv.id);
    expect(rows.map((r) => [r.tx_hash, r.amount])).toEqual([
      [txid, expect.any(String)],
      [txid, expect.any(String)],
    ]);
    expect(rows.map((r) => r.amount).sort()).toEqual(['300000', '700000']);
    expect(new Set(rows.map((r) => r.log_index)).size).toBe(2);
  });

  it('credits one transaction paying two invoices to each its own output', async () => {
    const a = await create('0.001', 'a');
    const b = await create('0.0025', 'b');
    const txid = await node.sendMany({ [a.invoiceAddress]: '0.001', [b.invoiceAddress]: '0.0025' });
    await node.mine();
    expect(await until(a.id, 'PAID', (v) => v.state === 'PAID')).toMatchObject({ amountPaid: '0.001' });
    expect(await until(b.id, 'PAID', (v) => v.state === 'PAID')).toMatchObject({ amountPaid: '0.0025' });
    expect((await payments(a.id)).map((p) => p.tx_hash)).toEqual([txid]);
    expect((await payments(b.id)).map((p) => p.tx_hash)).toEqual([txid]);
  });

  it('moves the invoice back when invalidateblock orphans the paying block, and completes it on the re-mined transaction, never on the orphan', async () => {
    const inv = await create('0.01');
    const txid = await node.send(inv.invoiceAddress, '0.01');
    await until(inv.id, 'MEM_POOL_FOUND', (v) => v.state === 'MEM_POOL_FOUND');
    const [orphan] = await node.mine();
    await node.mine();
    await until(inv.id, 'PAID with 2 confirmations', (v) => v.state === 'PAID' && v.confirmations.current === 2);

    await node.invalidateBlock(orphan!);
    expect(await node.client.getRawMempool()).toContain(txid);
    await until(inv.id, 'back to MEM_POOL_FOUND', (v) => v.state === 'MEM_POOL_FOUND');
    // The new branch grows past the orphan's old height: still one confirmation for the re-mined payment, not three.
    const [remined] = await node.mine();
    await until(inv.id, 'PAID again', (v) => v.state === 'PAID');
    expect((await view(inv.id)).confirmations.current).toBe(1);
    await node.mine(2);
    await until(inv.id, 'COMPLETED', (v) => v.state === 'COMPLETED');

    expect(await history(inv.id)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED']);
    expect(await payments(inv.id)).toEqual([{ tx_hash: txid, log_index: expect.any(Number), amount: '1000000', block_hash: remined, removed: 0 }]);
  });
});
