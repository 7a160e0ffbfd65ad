/**
 * keys, script, rpc and scan against a real Litecoin Core 0.21 node in
 * regtest: the node's own derivation and address encoding are the reference,
 * and its wallet makes the payments.
 */
import { describe, expect, it } from 'vitest';
import { type AddressType, litecoindPerFile, startLitecoind } from '../../testing/litecoind';
import { merchantAccountKey, RLTC } from '../../testing/utxo-fixture';
import { addressDeriver, descriptorKey } from './keys';
import type { Tx } from './rpc-schema';
import { findPayments, inputAddresses, prevoutTxids } from './scan';
import { addressToScript, scriptToAddress } from './script';

const merchantKey = merchantAccountKey();
const receive = addressDeriver(merchantKey, 'rltc');
/** The first 20 invoice addresses, by output script, as an adapter would watch them. */
const watched = new Map(Array.from({ length: 20 }, (_, i) => [addressToScript(receive(i), RLTC)!, receive(i)]));

const node = litecoindPerFile();

const defined = <T>(items: (T | undefined)[]): T[] => items.filter((t): t is T => t !== undefined);
const mempoolTxs = async (): Promise<Tx[]> => defined(await node.client.getRawTransactions(await node.client.getRawMempool()));
const addressInfo = (address: string) => node.rpc('getaddressinfo', [address]) as Promise<{ scriptPubKey: string; ismine: boolean }>;

describe('keys against litecoind', () => {
  it('derives the receive addresses the node derives for wpkh(<tpub>/0/*)', async () => {
    const tpub = descriptorKey(merchantKey, RLTC);
    const expected = await node.deriveAddresses(`wpkh(${tpub}/0/*)`, [0, 19]);
    expect(expected).toHaveLength(20);
    expect(Array.from({ length: 20 }, (_, i) => receive(i))).toEqual(expected);
  });

  it('derives the change addresses the node derives for wpkh(<tpub>/1/*)', async () => {
    const change = addressDeriver(merchantKey, 'rltc', 1);
    const expected = await node.deriveAddresses(`wpkh(${descriptorKey(merchantKey, RLTC)}/1/*)`, [0, 4]);
    expect(Array.from({ length: 5 }, (_, i) => change(i))).toEqual(expected);
  });
});

describe('script against litecoind', () => {
  it("writes the node's bech32 addresses with the rltc prefix", async () => {
    expect(await node.newAddress('bech32')).toMatch(/^rltc1q[02-9ac-hj-np-z]{38}$/);
  });

  it.each(['bech32', 'p2sh-segwit', 'legacy'] as AddressType[])('maps a %s address of the node to the script the node gives, and back', async (type) => {
    const address = await node.newAddress(type);
    const { scriptPubKey } = await addressInfo(address);
    expect(addressToScript(address, RLTC)).toBe(scriptPubKey);
    expect(scriptToAddress(scriptPubKey, RLTC)).toBe(address);
  });
});

describe('findPayments against litecoind', () => {
  it('finds a payment in the mempool before it is mined, and the same output in the block', async () => {
    const txid = await node.send(receive(0), '1.23456789');
    const pending = findPayments(await mempoolTxs(), watched);
    expect(pending).toEqual([{ txid, vout: expect.any(Number), address: receive(0), units: 123_456_789n }]);

    const [hash] = await node.mine();
    const block = await node.client.getBlock(hash!);
    expect(findPayments(block.tx, watched)).toEqual(pending);
    expect(await node.client.getRawMempool()).not.toContain(txid);
  });

  it('reports two outputs of one sendmany to two invoices as two payments', async () => {
    const txid = await node.sendMany({ [receive(1)]: '0.001', [receive(2)]: '0.0025' });
    const [hash] = await node.mine();
    const found = findPayments((await node.client.getBlock(hash!)).tx, watched);
    expect(found.map(({ txid: t, address, units }) => ({ t, address, units }))).toEqual(
      expect.arrayContaining([
        { t: txid, address: receive(1), units: 100_000n },
        { t: txid, address: receive(2), units: 250_000n },
      ]),
    );
    expect(found).toHaveLength(2);
    expect(new Set(found.map((p) => p.vout)).size).toBe(2);
  });

  it('names the wallet addresses a payment spends from', async () => {
    const txid = await node.send(receive(3), '0.5');
    const tx = await node.client.getRawTransaction(txid);
    const prevouts = defined(await node.client.getRawTransactions(prevoutTxids(tx)));
    const senders = inputAddresses(tx, new Map(prevouts.map((p) => [p.txid, p])));
    expect(senders.unknown).toEqual([]);
    expect(senders.addresses.length).toBeGreaterThan(0);
    for (const address of senders.addresses) expect(await addressInfo(address)).toMatchObject({ ismine: true });
    await node.mine();
  });

  it('does not take a coinbase output to an invoice for a payment', async () => {
    const [hash] = await node.mine(1, receive(4));
    const block = await node.client.getBlock(hash!);
    const coinbase = block.tx[0]!;
    expect(coinbase.vout[0]).toMatchObject({ script: addressToScript(receive(4), RLTC) });
    expect(inputAddresses(coinbase, new Map()).unknown).toEqual([{ index: 0, reason: 'coinbase' }]);
    expect(findPayments(block.tx, watched)).toEqual([]);
  });

  it('sees a payment of an orphaned block back in the mempool, and the block as orphaned', async () => {
    const txid = await node.send(receive(5), '0.001');
    const [hash] = await node.mine();
    await node.invalidateBlock(hash!);
    expect(await node.client.getBlock(hash!)).toMatchObject({ confirmations: -1 });
    expect(findPayments(await mempoolTxs(), watched)).toEqual([{ txid, vout: expect.any(Number), address: receive(5), units: 100_000n }]);

    await node.reconsiderBlock(hash!);
    expect(await node.client.getBestBlockHash()).toBe(hash);
    expect(await node.client.getBlock(hash!)).toMatchObject({ confirmations: 1 });
  });
});

describe('litecoind without -txindex', () => {
  it('cannot name the sender of a payment whose inputs are confirmed', async () => {
    const plain = await startLitecoind({ txindex: false });
    try {
      const tx = await plain.client.getRawTransaction(await plain.send(receive(6), '0.1'));
      expect(await plain.client.getRawTransactions(prevoutTxids(tx))).toEqual([undefined]);
      expect(inputAddresses(tx, new Map())).toEqual({ addresses: [], unknown: [{ index: 0, reason: 'prevout-unavailable' }] });
    } finally {
      await plain.stop();
    }
  }, 120_000);
});

describe('Litecoin MWEB (last: mines the chain past height 431)', () => {
  it('refuses to mine past the activation height without a peg-in', async () => {
    await expect(node.mine(1_000)).rejects.toThrow(/call activateMweb\(\) first/);
  });

  it("finds a peg-out to an invoice in the block's HogEx transaction, not in the mempool, with no sender", async () => {
    await node.activateMweb();
    // Spend only MWEB coins, so the payment is a peg-out.
    const unspent = (await node.rpc('listunspent')) as { txid: string; vout?: number; address: string }[];
    const canonical = unspent.filter((u) => typeof u.vout === 'number' && !u.address.startsWith('tmweb1')).map(({ txid, vout }) => ({ txid, vout }));
    await node.rpc('lockunspent', [false, canonical]);
    const mwebTxid = await node.send(receive(7), '0.5');
    await node.rpc('lockunspent', [true]);
    const plainTxid = await node.send(receive(8), '0.25');

    // In the mempool the MWEB transaction shows no output script or amount.
    expect(findPayments(await mempoolTxs(), watched).map((p) => p.txid)).toEqual([plainTxid]);

    const [hash] = await node.mine();
    const block = await node.client.getBlock(hash!);
    const hogex = block.tx.at(-1)!;
    expect(hogex.vout[0]).toMatchObject({ type: 'witness_mweb_hogaddr', address: undefined });
    const found = findPayments(block.tx, watched);
    expect(found).toEqual(
      expect.arrayContaining([
        { txid: hogex.txid, vout: expect.any(Number), address: receive(7), units: 50_000_000n },
        { txid: plainTxid, vout: expect.any(Number), address: receive(8), units: 25_000_000n },
      ]),
    );
    expect(found).toHaveLength(2);
    expect(hogex.txid).not.toBe(mwebTxid);

    const prevouts = defined(await node.client.getRawTransactions(prevoutTxids(hogex)));
    const senders = inputAddresses(hogex, new Map(prevouts.map((p) => [p.txid, p])));
    expect(senders.addresses).toEqual([]);
    expect(senders.unknown.length).toBeGreaterThan(0);
  }, 120_000);
});
