/**
 * Paying with a browser wallet through plain EIP-1193 calls: accounts, the
 * chain (switched, or added then switched, when it differs), then the one
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

/** A call that waits for the buyer (a wallet popup) gets minutes; one that does not, seconds. */
export const ASK_MS = 300_000;
const READ_MS = 15_000;

class Timeout extends Error {}
class Refused extends Error {
  constructor(readonly reason: FailReason) {
    super(reason);
  }
}

const code = (e: unknown) => (e as { code?: number } | null)?.code;

export async function payWithWallet(provider: Eip1193Provider, tx: TxRequest, opts: { addChain?: AddChainParams | null; timers: Timers }): Promise<PayResult> {
  const call = (method: string, params: unknown[] | undefined, ms: number) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = opts.timers.setTimeout(() => reject(new Timeout()), ms);
      provider.request(params ? { method, params } : { method }).then(
        (v) => (opts.timers.clearTimeout(timer), resolve(v)),
        (e: unknown) => (opts.timers.clearTimeout(timer), reject(e)),
      );
    });
  const onChain = async () => BigInt((await call('eth_chainId', undefined, READ_MS)) as string) === BigInt(tx.chainId);
  try {
    const [from] = (await call('eth_requestAccounts', undefined, ASK_MS)) as string[];
    if (!from) throw new Refused('rejected');
    if (!(await onChain())) {
      const params = [{ chainId: tx.chainId }];
      try {
        await call('wallet_switchEthereumChain', params, ASK_MS);
      } catch (e) {
        // 4902: the wallet does not know the chain. Some wallets say -32603 instead (coinbase-wallet-sdk#915).
        if (!opts.addChain || (code(e) !== 4902 && code(e) !== -32603)) throw e instanceof Timeout ? e : new Refused('chain');
        await call('wallet_addEthereumChain', [opts.addChain], ASK_MS).catch((err: unknown) => {
          throw err instanceof Timeout ? err : new Refused('chain');
        });
        // Adding a chain switches to it in most wallets; ask again for those where it does not.
        if (!(await onChain())) await call('wallet_switchEthereumChain', params, ASK_MS).catch(() => undefined);
      }
      // Believe the wallet's chain, not its answer: a payment on the wrong network is the mistake this button exists to prevent.
      if (!(await onChain())) throw new Refused('chain');
    }
    // chainId stays in the request: a wallet that checks it (EIP-1474) refuses to send on any other chain.
    const hash = await call('eth_sendTransaction', [{ from, ...tx }], ASK_MS);
    return { ok: true, hash: hash as string };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason };
    if (e instanceof Timeout) return { ok: false, reason: 'timeout' };
    // 4001: the buyer said no; 4100: the site is not authorised (the buyer dismissed the connection).
    if (code(e) === 4001 || code(e) === 4100) return { ok: false, reason: 'rejected' };
    return { ok: false, reason: /insufficient|balance/i.test(String((e as { message?: unknown })?.message)) ? 'funds' : 'failed' };
  }
}
