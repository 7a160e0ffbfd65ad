import { encodeFunctionData, erc20Abi, parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { walletTx } from '../server/checkout/payment-uri';
import { walletTransfer } from './sandbox-wallet';

const TO = '0x52908400098527886E0F7030069857D2E4169EE7';

describe('walletTransfer', () => {
  it('reads the recipient and wei of a value transfer, as the checkout builds it', () => {
    const tx = walletTx({ address: TO, chainId: 1337, units: parseEther('0.0125') });
    expect(walletTransfer(tx)).toEqual({ ok: true, to: TO, units: 12_500_000_000_000_000n });
  });

  it('reads the recipient and amount of a token transfer call', () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [TO, 24_500_000n] });
    expect(walletTransfer({ to: '0xdAC17F958D2ee523a2206206994597C13D831ec7', data })).toEqual({ ok: true, to: TO.toLowerCase(), units: 24_500_000n });
  });

  it('refuses any other call and a value that is not a hex quantity', () => {
    const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [TO, 1n] });
    expect(walletTransfer({ to: TO, data: approve }).ok).toBe(false);
    expect(walletTransfer({ to: TO, value: '1.5' }).ok).toBe(false);
    expect(walletTransfer({ to: 'me', value: '0x1' }).ok).toBe(false);
  });
});
