import { decodeFunctionData, erc20Abi, getAddress, parseUnits } from 'viem';
import { describe, expect, it } from 'vitest';
import { walletTxSchema } from '../../contract/checkout';
import { BUILT_IN_TABLE } from '../money/currencies';
import { eip681, evmPayment, walletTx } from './payment-uri';

const ADDRESS = getAddress('0x52908400098527886e0f7030069857d2e4169ee7');

/** "7", "7.1", "7.12", … up to the coin's scale: an amount with every number of decimals it may have. */
const amountsUpToScale = (scale: number) => Array.from({ length: scale + 1 }, (_, k) => (k === 0 ? '7' : `7.${'123456789'.repeat(3).slice(0, k - 1)}9`));

/** What EIP-681 says the URI asks for: the recipient contract or address, the chain, and the amount. */
const EIP681 = /^ethereum:(0x[\da-fA-F]{40})@(\d+)(?:\?value=(\d+)|\/transfer\?address=(0x[\da-fA-F]{40})&uint256=(\d+))$/;

describe('walletTx: the payment of the EIP-681 URI as the transaction a browser wallet sends', () => {
  for (const code of ['ETH', 'BNB', 'MATIC']) {
    const scale = BUILT_IN_TABLE.find(code)!.scale;
    it(`asks a ${code} wallet for exactly the amount due, in wei, for every number of decimals up to ${scale}, as its URI does`, () => {
      for (const amount of [...amountsUpToScale(scale), '0.00000001']) {
        const units = parseUnits(amount, 18);
        const { uri, walletTx: tx } = evmPayment({ address: ADDRESS, chainId: 137, units });
        expect(tx, amount).toEqual({ chainId: '0x89', to: ADDRESS, value: `0x${units.toString(16)}` });
        const [, to, chain, value] = EIP681.exec(uri)!;
        expect([to, BigInt(chain!), BigInt(value!)]).toEqual([tx!.to, BigInt(tx!.chainId), BigInt(tx!.value!)]);
        walletTxSchema.parse(tx);
      }
    });
  }

  for (const code of ['USDT', 'USDC_BSC', 'USDT_MATIC']) {
    const c = BUILT_IN_TABLE.find(code)!;
    it(`asks for transfer(address, uint256) of exactly the ${code} due on its token contract, for every number of decimals up to ${c.scale}, as its URI does`, () => {
      for (const amount of [...amountsUpToScale(c.scale), '0.000001', '123456789.5']) {
        const units = parseUnits(amount, c.decimals);
        const { uri, walletTx: tx } = evmPayment({ address: ADDRESS, chainId: 56, units, token: c.token });
        expect(tx!.to).toBe(c.token);
        expect(tx!.chainId).toBe('0x38');
        expect(tx!.value).toBeUndefined();
        const call = decodeFunctionData({ abi: erc20Abi, data: tx!.data as `0x${string}` });
        expect(call.functionName).toBe('transfer');
        expect(call.args).toEqual([ADDRESS, units]);
        const [, token, , , recipient, uriUnits] = EIP681.exec(uri)!;
        expect([token, recipient, BigInt(uriUnits!)]).toEqual([tx!.to, ADDRESS, units]);
        walletTxSchema.parse(tx);
      }
    });
  }

  it('writes an amount past 2^64 exactly, in both forms', () => {
    const units = 123_456_789_123_456_789_123_456_789n;
    expect(BigInt(walletTx({ address: ADDRESS, chainId: 1, units }).value!)).toBe(units);
    expect(eip681({ address: ADDRESS, chainId: 1, units })).toContain(`value=${units}`);
  });
});
