/**
 * What a buyer's browser wallet is asked to add when it does not know an
 * invoice's chain: `wallet_addEthereumChain`'s parameter (EIP-3085), from the
 * chain's configuration. Only a chain with a public `walletRpcUrl` has one:
 * the `rpcUrl` Payframe itself uses may hold an API key and never reaches a browser.
 * https://eips.ethereum.org/EIPS/eip-3085
 */
import type { AddChainParams } from '../../widget/checkout/wallet/pay-flow';
import type { AnyChainConfig } from './chains-file';

/** By chain name, the chains a wallet may be asked to add. */
export function walletChains(configs: readonly AnyChainConfig[]): Map<string, AddChainParams> {
  const added = new Map<string, AddChainParams>();
  for (const c of configs) {
    if (c.kind === 'utxo' || !c.walletRpcUrl) continue;
    const coin = { name: c.nativeCurrency, symbol: c.nativeCurrency, decimals: c.nativeDecimals };
    added.set(c.name, { chainId: `0x${c.chainId.toString(16)}`, chainName: c.name, nativeCurrency: coin, rpcUrls: [c.walletRpcUrl] });
  }
  return added;
}
