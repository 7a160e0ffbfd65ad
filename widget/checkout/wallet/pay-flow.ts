/**
 * Paying with a browser wallet through plain EIP-1193 calls: accounts, the
 * chain (switched, or added when the wallet does not know it), then the one
 * transaction the checkout built. Results are tagged, never thrown: every
 * failure has a reason the screen turns into a message and a way on.
 * EIP-1193 https://eips.ethereum.org/EIPS/eip-1193 · EIP-3326 (switch) · EIP-3085 (add)
 */
import type { Timers } from '../countdown';
import type { WalletTx } from '../../../contract/checkout';

export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** wallet_addEthereumChain's parameter (EIP-3085), when Payframe knows a public RPC for the chain. */
export interface AddChainParams {
  chainId: string;
  chainName: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  rpcUrls: string[];
}

type FailReason = 'rejected' | 'chain' | 'funds' | 'timeout' | 'failed';
/** The hash of the transaction sent, or the reason none was. */
export type PayResult = { hash: string; reason?: undefined } | { hash?: undefined; reason: FailReason };

/**
 * How long any call may go unanswered. Most wait for the buyer in the
 * wallet's popup, so it is generous; after it the buttons work again, and a
 * payment approved later still shows, since the checkout follows the invoice.
 */
export const TIMEOUT_MS = 120_000;

/** A wallet's error: EIP-1193's code and message, or one of our reasons (a string, thrown below on purpose: fewer bytes than a class). */
type Failure = { code?: number; message?: string } | FailReason | undefined;

export async function payWithWallet(provider: Eip1193Provider, tx: WalletTx, addChain: AddChainParams | null, timers: Timers): Promise<PayResult> {
  // A call unanswered in time fails the flow; its timer is left to expire (rejecting a settled promise does nothing).
  const call = (method: string, ...params: unknown[]) =>
    Promise.race([provider.request({ method, params }), new Promise((_, reject) => timers.setTimeout(() => reject('timeout'), TIMEOUT_MS))]);
  const onChain = async () => BigInt((await call('eth_chainId')) as string) === BigInt(tx.chainId);
  // Any refusal on the way to the chain (4001 included) is "chain"; a timeout stays one.
  const chainFail = (e: Failure) => {
    throw e === 'timeout' ? e : 'chain';
  };
  try {
    const [from] = (await call('eth_requestAccounts')) as string[];
    if (!(await onChain())) {
      await call('wallet_switchEthereumChain', { chainId: tx.chainId }).catch(async (e: Failure) => {
        const code = (e as { code?: number } | undefined)?.code;
        // 4902: the wallet does not know the chain. Some wallets say -32603 instead (coinbase-wallet-sdk#915).
        if (!addChain || (code !== 4902 && code !== -32603)) chainFail(e);
        await call('wallet_addEthereumChain', addChain).catch(chainFail);
      });
      // Believe the wallet's chain, not its answers: a payment on the wrong network is the mistake this button exists to prevent.
      if (!(await onChain())) throw 'chain';
    }
    // chainId stays in the request: a wallet that checks it refuses to send on any other chain.
    return { hash: (await call('eth_sendTransaction', { from, ...tx })) as string };
  } catch (e) {
    const f = e as Failure;
    if (typeof f === 'string') return { reason: f };
    // 4001: the buyer said no. Anything else (4100, a site not authorised, included) is "failed", which also offers a way on.
    return { reason: f?.code === 4001 ? 'rejected' : /insufficient|balance/i.test(`${f?.message}`) ? 'funds' : 'failed' };
  }
}
