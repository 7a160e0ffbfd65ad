/**
 * Pays from the funded buyer wallet of `npm run dev:anvil`, as a wallet would.
 *   npm run anvil:pay -- <invoice address> <amount> [ETH|USDT]
 */
import { readFileSync } from 'node:fs';
import { createWalletClient, http, parseEther, parseUnits, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { ANVIL_MNEMONIC, TEST_TOKEN } from '../server/testing/anvil';
import { DEV_STATE_FILE } from './dev-anvil-state';

const [to, amount, currency = 'ETH'] = process.argv.slice(2);
if (!to || !/^0x[0-9a-fA-F]{40}$/.test(to) || !amount || !['ETH', 'USDT'].includes(currency)) {
  console.error('usage: npm run anvil:pay -- <invoice address> <amount> [ETH|USDT]');
  process.exit(2);
}
const state = JSON.parse(readFileSync(DEV_STATE_FILE, 'utf8')) as { rpcUrl: string; token: Hex };
const wallet = createWalletClient({ chain: foundry, transport: http(state.rpcUrl), account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 1 }) });
const hash =
  currency === 'ETH'
    ? await wallet.sendTransaction({ to: to as Hex, value: parseEther(amount) })
    : await wallet.writeContract({ address: state.token, abi: TEST_TOKEN.abi, functionName: 'transfer', args: [to, parseUnits(amount, 6)] });
console.log(`sent ${amount} ${currency} to ${to}: ${hash}`);
