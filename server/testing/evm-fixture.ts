/**
 * A real local Ethereum node for the EVM adapter's tests: anvil with the
 * test token deployed and two funded buyers, started once per test file by
 * useAnvilChain(). `anvil` and `token` are set from its beforeAll on.
 */
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { parseEther, parseUnits, type Hex } from 'viem';
import { afterAll, beforeAll } from 'vitest';
import type { ChainConfig } from '../chains/chains-file';
import { anvilChainConfig, startAnvil, TEST_TOKEN, type Anvil } from './anvil';

/** The merchant's wallet: Payframe only ever sees the account xpub below it. */
export const MERCHANT_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const MERCHANT_XPUB = HDKey.fromMasterSeed(mnemonicToSeedSync(MERCHANT_MNEMONIC)).derive("m/44'/60'/0'").publicExtendedKey;

export let anvil: Anvil;
export let token: Hex;

export function useAnvilChain(): void {
  beforeAll(async () => {
    anvil = await startAnvil();
    token = await anvil.deployToken();
    for (const buyer of [1, 2]) {
      await anvil.wallet(0).writeContract({
        address: token,
        abi: TEST_TOKEN.abi,
        functionName: 'mint',
        args: [anvil.wallet(buyer).account.address, parseUnits('1000000', 6)],
        account: anvil.wallet(0).account,
        chain: undefined,
      });
    }
    await anvil.mine();
  }, 60_000);

  afterAll(async () => {
    await anvil?.stop();
  });
}

export const chainConfig = (): ChainConfig => anvilChainConfig(anvil.rpcUrl, token);

/**
 * The time of anvil's newest block. Tests start their fake clock there: some
 * move anvil's time a day or two ahead, and it never comes back.
 */
export async function chainNow(): Promise<number> {
  return Number((await anvil.public.getBlock()).timestamp) * 1000;
}

/** Makes anvil's next block carry this time (ms), as a block mined then would. */
export async function nextBlockAt(ms: number): Promise<void> {
  await anvil.test.setNextBlockTimestamp({ timestamp: BigInt(Math.ceil(ms / 1000)) });
}

export const sendEth = (buyer: number, to: string, eth: string) =>
  anvil.wallet(buyer).sendTransaction({ to: to as Hex, value: parseEther(eth), account: anvil.wallet(buyer).account, chain: undefined });

export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}
