import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Tx, TxIn, TxOut } from './rpc-schema';
import { findPayments, inputAddresses, prevoutTxids } from './scan';

const txid = () => randomBytes(32).toString('hex');
const script = () => `0014${randomBytes(20).toString('hex')}`;
const output = (n: number, s: string, units: bigint, address: string | undefined = `addr-of-${s}`): TxOut => ({ n, units, script: s, type: 'witness_v0_keyhash', address });
const spend = (from: string, vout = 0): TxIn => ({ kind: 'spend', txid: from, vout });
const tx = (vout: Tx['vout'], vin: TxIn[] = [spend(txid())]): Tx => ({ txid: txid(), vin, vout });

/** A Map that counts lookups: the scan's cost is its lookups, which must not depend on the map's size. */
class CountingMap extends Map<string, string> {
  lookups = 0;
  override get(key: string) {
    this.lookups++;
    return super.get(key);
  }
}

describe('findPayments', () => {
  const invoiceScript = script();
  const watched = new Map([[invoiceScript, 'rltc1qinvoice']]);

  it('finds an output to a watched script, with its exact amount and position', () => {
    const paying = tx([output(0, script(), 4_876_541_801n), output(1, invoiceScript, 123_456_789n)]);
    expect(findPayments([tx([output(0, script(), 5n)]), paying], watched)).toEqual([{ txid: paying.txid, vout: 1, address: 'rltc1qinvoice', units: 123_456_789n }]);
  });

  it('reports two outputs to watched scripts in one transaction as two payments', () => {
    const other = script();
    const both = tx([output(0, invoiceScript, 100n), output(1, script(), 7n), output(2, other, 200n)]);
    const found = findPayments([both], new Map([...watched, [other, 'rltc1qother']]));
    expect(found).toEqual([
      { txid: both.txid, vout: 0, address: 'rltc1qinvoice', units: 100n },
      { txid: both.txid, vout: 2, address: 'rltc1qother', units: 200n },
    ]);
  });

  it('reports two outputs to the same invoice in one transaction as two payments that add up', () => {
    const twice = tx([output(0, invoiceScript, 100n), output(1, invoiceScript, 50n)]);
    const found = findPayments([twice], watched);
    expect(found.map((p) => p.vout)).toEqual([0, 1]);
    expect(found.reduce((sum, p) => sum + p.units, 0n)).toBe(150n);
  });

  it('ignores a coinbase output, even to a watched script', () => {
    const coinbase = tx([output(0, invoiceScript, 5_000_000_000n)], [{ kind: 'coinbase' }]);
    expect(findPayments([coinbase], watched)).toEqual([]);
  });

  it('ignores a zero-value output and MWEB outputs', () => {
    const zero = tx([output(0, invoiceScript, 0n), { mweb: true, outputId: 'ab' }]);
    expect(findPayments([zero], watched)).toEqual([]);
  });

  it('matches by script, not by the address the node wrote', () => {
    const mislabelled = tx([output(0, invoiceScript, 9n, 'some-other-address')]);
    expect(findPayments([mislabelled], watched)).toEqual([{ txid: mislabelled.txid, vout: 0, address: 'rltc1qinvoice', units: 9n }]);
  });

  it('looks up each output once, however many scripts are watched', () => {
    const block = Array.from({ length: 50 }, () => tx([output(0, script(), 1n), output(1, script(), 2n), { mweb: true, outputId: 'x' }]));
    const outputs = block.length * 2;
    for (const size of [1, 100_000]) {
      const map = new CountingMap(Array.from({ length: size }, (_, i) => [`0014${i.toString(16).padStart(40, '0')}`, 'a'] as [string, string]));
      findPayments(block, map);
      expect(map.lookups).toBe(outputs);
    }
  });
});

describe('inputAddresses', () => {
  it("names the addresses of the outputs a transaction spends, once each, in input order", () => {
    const a = tx([output(0, script(), 1n, 'rltc1qa'), output(1, script(), 1n, 'rltc1qb')]);
    const b = tx([output(0, script(), 1n, 'rltc1qc')]);
    const payment = tx([output(0, script(), 1n)], [spend(a.txid, 1), spend(b.txid, 0), spend(a.txid, 0), spend(b.txid, 0)]);
    const prevouts = new Map([a, b].map((t) => [t.txid, t]));
    expect(inputAddresses(payment, prevouts)).toEqual({ addresses: ['rltc1qb', 'rltc1qc', 'rltc1qa'], unknown: [] });
  });

  it('lists an input whose spent transaction was not given as undeterminable (no -txindex)', () => {
    const known = tx([output(0, script(), 1n, 'rltc1qknown')]);
    const payment = tx([], [spend(known.txid), spend(txid())]);
    expect(inputAddresses(payment, new Map([[known.txid, known]]))).toEqual({ addresses: ['rltc1qknown'], unknown: [{ index: 1, reason: 'prevout-unavailable' }] });
  });

  it('lists an input spending an output the given transaction does not have as undeterminable', () => {
    const prev = tx([output(0, script(), 1n, 'rltc1qa')]);
    expect(inputAddresses(tx([], [spend(prev.txid, 3)]), new Map([[prev.txid, prev]])).unknown).toEqual([{ index: 0, reason: 'prevout-unavailable' }]);
  });

  it('lists coinbase, MWEB and address-less inputs with their reason', () => {
    const multisig = tx([{ ...output(0, '5121aa21bb52ae', 1n), type: 'multisig', address: undefined }]);
    const payment = tx([], [{ kind: 'coinbase' }, { kind: 'mweb', outputId: 'ab' }, spend(multisig.txid)]);
    expect(inputAddresses(payment, new Map([[multisig.txid, multisig]]))).toEqual({
      addresses: [],
      unknown: [
        { index: 0, reason: 'coinbase' },
        { index: 1, reason: 'mweb' },
        { index: 2, reason: 'no-address' },
      ],
    });
  });
});

describe('prevoutTxids', () => {
  it('names each spent transaction once, skipping coinbase and MWEB inputs', () => {
    const [a, b] = [txid(), txid()];
    expect(prevoutTxids(tx([], [spend(a, 0), { kind: 'coinbase' }, spend(b, 2), spend(a, 1), { kind: 'mweb', outputId: 'x' }]))).toEqual([a, b]);
  });
});
