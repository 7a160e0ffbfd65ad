import { describe, expect, it } from 'vitest';
import { parseJsonKeepingNumbers } from '../../../contract/lossless-json';
import { blockSchema, coinsToUnits, EXACT_KEYS, txSchema } from './rpc-schema';

const TXID = 'cbb36bfc8a6fde91cba4c8d1cd732d9a50c36d50bf142b298d31be2b3425d804';
const PREV = '14a350fa883810021957c4c0d14684d0a8c3e0b3a403e34329af93da236fdd1f';
const read = (json: string) => parseJsonKeepingNumbers(json, EXACT_KEYS);

/** An output as litecoind 0.21 writes it (addresses: [a]). */
const out = (n: number, value: string, hex = '001407d78330d2b1d3ef0c970409e240588b847ebc9d', addresses = '["rltc1qqltcxvxjk8f77ryhqsy7yszc3wz8a0ya83v8hh"]') =>
  `{"ismweb": false, "value": ${value}, "n": ${n}, "scriptPubKey": {"asm": "…", "hex": "${hex}", "reqSigs": 1, "type": "witness_v0_keyhash", "addresses": ${addresses}}}`;
const tx = (vouts: string[], vin = `[{"ismweb": false, "txid": "${PREV}", "vout": 0, "scriptSig": {"asm": "", "hex": ""}, "sequence": 4294967294}]`) =>
  `{"txid": "${TXID}", "hash": "…", "version": 2, "size": 222, "vsize": 141, "weight": 561, "locktime": 101, "vin": ${vin}, "vout": [${vouts.join(',')}], "hex": "02…"}`;

describe('txSchema', () => {
  it("reads litecoind's transaction with exact amounts in base units", () => {
    const parsed = txSchema.parse(read(tx([out(0, '48.76541801'), out(1, '1.23456789')])));
    expect(parsed).toEqual({
      txid: TXID,
      vin: [{ kind: 'spend', txid: PREV, vout: 0 }],
      vout: [
        { n: 0, units: 4_876_541_801n, script: '001407d78330d2b1d3ef0c970409e240588b847ebc9d', type: 'witness_v0_keyhash', address: 'rltc1qqltcxvxjk8f77ryhqsy7yszc3wz8a0ya83v8hh' },
        { n: 1, units: 123_456_789n, script: '001407d78330d2b1d3ef0c970409e240588b847ebc9d', type: 'witness_v0_keyhash', address: 'rltc1qqltcxvxjk8f77ryhqsy7yszc3wz8a0ya83v8hh' },
      ],
    });
  });

  it('reads 1.23456789 as exactly 123456789 litoshi, where value * 1e8 is 123456788.99999999', () => {
    expect(1.23456789 * 1e8).not.toBe(123_456_789);
    const [output] = txSchema.parse(read(tx([out(0, '1.23456789')]))).vout;
    expect(output).toMatchObject({ units: 123_456_789n });
  });

  it('reads the largest amounts (21M BTC − 1 sat) exactly', () => {
    const [output] = txSchema.parse(read(tx([out(0, '20999999.99999999')]))).vout;
    expect(output).toMatchObject({ units: 2_099_999_999_999_999n });
  });

  it('reads a zero-value (OP_RETURN) output as 0 with no address', () => {
    const opReturn = '{"value": 0.00000000, "n": 1, "scriptPubKey": {"asm": "OP_RETURN aa21", "hex": "6a02aa21", "type": "nulldata"}}';
    expect(txSchema.parse(read(tx([opReturn]))).vout[0]).toEqual({ n: 1, units: 0n, script: '6a02aa21', type: 'nulldata', address: undefined });
  });

  it("reads Core 22+'s single `address` field", () => {
    const modern = '{"value": 0.5, "n": 0, "scriptPubKey": {"asm": "…", "hex": "0014aa", "type": "witness_v0_keyhash", "address": "bc1qexample"}}';
    expect(txSchema.parse(read(tx([modern]))).vout[0]).toMatchObject({ address: 'bc1qexample', units: 50_000_000n });
  });

  it('gives no address for an output with several (bare multisig)', () => {
    const multisig = out(0, '1.00000000', '5121aa21bb52ae', '["maddr1", "maddr2"]');
    expect(txSchema.parse(read(tx([multisig]))).vout[0]).toMatchObject({ address: undefined });
  });

  it('refuses an amount that was read as a double, not from its text', () => {
    const result = txSchema.safeParse(JSON.parse(tx([out(0, '1.23456789')])));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['vout', 0, 'value']);
  });

  it('refuses an amount in exponent form, which Core never writes, naming it', () => {
    const result = txSchema.safeParse(read(tx([out(0, '1e-8')])));
    expect(result.error?.issues[0]?.message).toMatch(/^amount 1e-8 must be a positive decimal/);
  });

  it('reads a coinbase input', () => {
    const vin = '[{"ismweb": false, "coinbase": "01660101", "txinwitness": ["00"], "sequence": 4294967295}]';
    expect(txSchema.parse(read(tx([out(0, '50.00001410')], vin))).vin).toEqual([{ kind: 'coinbase' }]);
  });

  it('reads an MWEB transaction as litecoind shows it in the mempool: no amounts, no scripts', () => {
    const mweb = `{"txid": "${TXID}", "vin": [{"ismweb": true, "output_id": "739e"}], "vout": [{"ismweb": true, "output_id": "1af8"}], "vkern": [{"fee": 0.00002510, "pegout": []}]}`;
    expect(txSchema.parse(read(mweb))).toEqual({ txid: TXID, vin: [{ kind: 'mweb', outputId: '739e' }], vout: [{ mweb: true, outputId: '1af8' }] });
  });
});

describe('blockSchema', () => {
  it('reads a verbosity-2 block, keeping what the scan and reorg checks need', () => {
    const block = `{"hash": "${TXID}", "confirmations": -1, "height": 102, "version": 536870912, "time": 1795988817, "nTx": 1, "previousblockhash": "${PREV}", "tx": [${tx([out(0, '1')])}]}`;
    expect(blockSchema.parse(read(block))).toMatchObject({ hash: TXID, height: 102, confirmations: -1, time: 1795988817, previousblockhash: PREV, tx: [{ txid: TXID }] });
  });
});

describe('coinsToUnits', () => {
  it.each([
    ['0.00000001', 1n],
    ['50.00000000', 5_000_000_000n],
    ['0', 0n],
    ['0.00000000', 0n],
    ['84000000.00000000', 8_400_000_000_000_000n],
  ])('reads %s as %s base units', (text, units) => {
    expect(coinsToUnits(text)).toBe(units);
  });

  it('refuses more than 8 decimals rather than round', () => {
    expect(() => coinsToUnits('0.000000001')).toThrow(/more than 8 decimal places/);
  });

  it('refuses a negative amount', () => {
    expect(() => coinsToUnits('-1.00000000')).toThrow(/positive decimal/);
  });
});
