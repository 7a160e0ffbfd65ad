/**
 * Paying with a browser wallet through plain EIP-1193 calls: accounts, the
 * chain (switched, or added when the wallet does not know it), then the one
 * transaction the checkout built. Results are tagged, never thrown: every
 * failure has a reason the screen turns into a message and a way on.
 * EIP-1193 https://eips.ethereum.org/EIPS/eip-1193 · EIP-3326 (switch) · EIP-3085 (add)
 */
import type { Timers } from '../countdown';
import type { TxRequest } from './tx-request';

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
export type PayResult = { ok: true; hash: string } | { ok: false; reason: FailReason };

/**
 * How long any call may go unanswered. Most wait for the buyer in the
 * wallet's popup, so it is generous; after it the buttons work again, and a
 * payment approved later still shows, since the checkout follows the invoice.
 */
export const TIMEOUT_MS = 120_000;

class Fail {
  constructor(readonly reason: FailReason) {}
}

const code = (e: unknown) => (e as { code?: number } | null)?.code;

export async function payWithWallet(provider: Eip1193Provider, tx: TxRequest, addChain: AddChainParams | null, timers: Timers): Promise<PayResult> {
  const call = (method: string, ...params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = timers.setTimeout(() => reject(new Fail('timeout')), TIMEOUT_MS);
      provider.request({ method, params }).then(resolve, reject).finally(() => timers.clearTimeout(timer));
    });
  const onChain = async () => BigInt((await call('eth_chainId')) as string) === BigInt(tx.chainId);
  // Any refusal on the way to the chain (4001 included) is "chain"; a timeout stays one.
  const chainFail = (e: unknown) => {
    throw e instanceof Fail ? e : new Fail('chain');
  };
  try {
    const [from] = (await call('eth_requestAccounts')) as string[];
    if (!(await onChain())) {
      await call('wallet_switchEthereumChain', { chainId: tx.chainId }).catch(async (e: unknown) => {
        // 4902: the wallet does not know the chain. Some wallets say -32603 instead (coinbase-wallet-sdk#915).
        if (!addChain || (code(e) !== 4902 && code(e) !== -32603)) chainFail(e);
        await call('wallet_addEthereumChain', addChain).catch(chainFail);
      });
      // Believe the wallet's chain, not its answers: a payment on the wrong network is the mistake this button exists to prevent.
      if (!(await onChain())) throw new Fail('chain');
    }
    // chainId stays in the request: a wallet that checks it refuses to send on any other chain.
    return { ok: true, hash: (await call('eth_sendTransaction', { from, ...tx })) as string };
  } catch (e) {
    // 4001: the buyer said no; 4100: the site is not authorised (the buyer dismissed the connection).
    const reason = e instanceof Fail ? e.reason : code(e) === 4001 || code(e) === 4100 ? 'rejected' : /insufficient|balance/i.test(String((e as Error)?.message)) ? 'funds' : 'failed';
    return { ok: false, reason };
  }
}
