import { decodeFunctionData, erc20Abi, formatUnits, getAddress, parseUnits } from 'viem';
import { describe, expect, it } from 'vitest';
import { eip681 } from '../../../server/checkout/payment-uri';
import { BUILT_IN_TABLE } from '../../../server/money/currencies';
import { viewWith } from '../test-views';
import { txRequest } from './tx-request';

const ADDRESS = getAddress('0x52908400098527886e0f7030069857d2e4169ee7');

/** The view the server would send for `amountDue` of `code` on chain `chainId`, its URI built by the server's own eip681(). */
function viewFor(code: string, amountDue: string, chainId = 1) {
  const c = BUILT_IN_TABLE.find(code)!;
  const units = parseUnits(amountDue, c.decimals);
  return {
    units,
    view: viewWith({
      amountDue: formatUnits(units, c.decimals),
      currency: { code, network: c.network, decimals: c.decimals, token: c.token ?? null },
      address: ADDRESS,
      paymentUri: eip681({ address: ADDRESS, chainId, units, token: c.token }),
    }),
  };
}

/** "7", "7.1", "7.12", … up to the coin's scale: an amount with every number of decimals it may have. */
const amountsUpToScale = (scale: number) => Array.from({ length: scale + 1 }, (_, k) => (k === 0 ? '7' : `7.${'123456789'.repeat(3).slice(0, k - 1)}9`));

describe('txRequest', () => {
  for (const code of ['ETH', 'BNB', 'MATIC']) {
    const scale = BUILT_IN_TABLE.find(code)!.scale;
    it(`asks a ${code} wallet for exactly the amount due, in wei, for every number of decimals up to ${scale}`, () => {
      for (const amount of [...amountsUpToScale(scale), '0.00000001']) {
        const { view, units } = viewFor(code, amount, 137);
        const tx = txRequest(view.paymentUri)!;
        expect(tx, amount).toEqual({ chainId: '0x89', to: ADDRESS, value: `0x${units.toString(16)}` });
        expect(BigInt(tx.value!)).toBe(parseUnits(amount, 18));
      }
    });
  }

  for (const code of ['USDT', 'USDC_BSC', 'USDT_MATIC']) {
    const c = BUILT_IN_TABLE.find(code)!;
    it(`asks for transfer(address, uint256) of exactly the ${code} due on its token contract, for every number of decimals up to ${c.scale}`, () => {
      for (const amount of [...amountsUpToScale(c.scale), '0.000001', '123456789.5']) {
        const { view } = viewFor(code, amount, 56);
        const tx = txRequest(view.paymentUri)!;
        expect(tx.to).toBe(c.token);
        expect(tx.chainId).toBe('0x38');
        expect(tx.value).toBeUndefined();
        const call = decodeFunctionData({ abi: erc20Abi, data: tx.data as `0x${string}` });
        expect(call.functionName).toBe('transfer');
        expect(call.args).toEqual([ADDRESS, parseUnits(amount, c.decimals)]);
      }
    });
  }

  it('asks for the remainder of an underpaid invoice: its URI is for the amount due', () => {
    const { view } = viewFor('ETH', '0.02345678', 1);
    expect(BigInt(txRequest(view.paymentUri)!.value!)).toBe(23456780000000000n);
  });

  it('offers nothing for a URI a wallet cannot send from here: a bitcoin one, none when nothing is due, or one that is not EIP-681', () => {
    expect(txRequest('bitcoin:bcrt1qxyz?amount=0.1')).toBeNull();
    expect(txRequest(null)).toBeNull();
    expect(txRequest(`ethereum:${ADDRESS}?value=1`)).toBeNull();
    expect(txRequest(`ethereum:${ADDRESS}@1?value=1&gas=9`)).toBeNull();
  });
});
