import { describe, expect, it } from 'vitest';
import { TIMEOUT_MS, payWithWallet, type AddChainParams, type Eip1193Provider } from './pay-flow';
import type { WalletTx } from '../../../contract/checkout';

const FROM = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const HASH = `0x${'ab'.repeat(32)}`;
const TX: WalletTx = { chainId: '0x7a69', to: '0x52908400098527886E0F7030069857D2E4169EE7', value: '0x2386f26fc10000' };
const ADD: AddChainParams = { chainId: '0x7a69', chainName: 'anvil', nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: ['http://127.0.0.1:8545'] };

type Answer = unknown | ((params: unknown[] | undefined) => unknown);
const fail = (code: number, message = 'no') => Object.assign(new Error(message), { code });

/**
 * A wallet that answers each method from a script: a value, an error to
 * throw, or a function of the params (which may change the wallet's chain).
 * `never` leaves the method unanswered. It records every call it gets.
 */
function scriptedWallet(script: Record<string, Answer>, chain = '0x7a69') {
  const calls: { method: string; params?: unknown[] }[] = [];
  const wallet: { chain: string; calls: typeof calls; provider: Eip1193Provider } = {
    chain,
    calls,
    provider: {
      request({ method, params }): Promise<unknown> {
        calls.push(params?.length ? { method, params } : { method });
        if (method === 'eth_chainId' && !(method in script)) return Promise.resolve(wallet.chain);
        const answer = script[method];
        if (answer === 'never') return new Promise(() => undefined);
        try {
          const v = typeof answer === 'function' ? (answer as (p: unknown) => unknown)(params) : answer;
          return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
        } catch (e) {
          return Promise.reject(e);
        }
      },
    },
  };
  return wallet;
}

/** Timers the test fires by hand: nothing here waits on the wall clock. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  return {
    setTimeout: (fn: () => void, ms: number) => (pending.set(++next, { fn, ms }), next),
    clearTimeout: (h: unknown) => void pending.delete(h as number),
    fire() {
      const all = [...pending.values()];
      pending.clear();
      for (const t of all) t.fn();
      return all.map((t) => t.ms);
    },
    get count() {
      return pending.size;
    },
  };
}

const ok = { eth_requestAccounts: [FROM], eth_sendTransaction: HASH };

describe('payWithWallet', () => {
  it('sends the checkout’s transaction from the first account when the wallet is on the chain, and returns its hash', async () => {
    const w = scriptedWallet(ok);
    const timers = manualTimers();
    expect(await payWithWallet(w.provider, TX, null, timers)).toEqual({ hash: HASH });
    expect(w.calls).toEqual([{ method: 'eth_requestAccounts' }, { method: 'eth_chainId' }, { method: 'eth_sendTransaction', params: [{ from: FROM, ...TX }] }]);
    // Each call had its deadline; firing them once all answered changes nothing.
    expect(timers.fire()).toEqual([TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS]);
  });

  it('sends an ERC-20 transfer as calldata to the token, with no value', async () => {
    const w = scriptedWallet(ok);
    const token: WalletTx = { chainId: '0x7a69', to: '0xdAC17F958D2ee523a2206206994597C13D831ec7', data: '0xa9059cbb00' };
    await payWithWallet(w.provider, token, null, manualTimers());
    expect(w.calls.at(-1)).toEqual({ method: 'eth_sendTransaction', params: [{ from: FROM, chainId: '0x7a69', to: token.to, data: token.data }] });
  });

  it('switches a wallet on another chain first (EIP-3326), and sends once it is there', async () => {
    const w = scriptedWallet({ ...ok, wallet_switchEthereumChain: ([p]: [{ chainId: string }]) => void (w.chain = p.chainId) }, '0x1');
    expect(await payWithWallet(w.provider, TX, null, manualTimers())).toEqual({ hash: HASH });
    expect(w.calls.map((c) => c.method)).toEqual(['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain', 'eth_chainId', 'eth_sendTransaction']);
    expect(w.calls[2]!.params).toEqual([{ chainId: '0x7a69' }]);
  });

  for (const unknown of [4902, -32603]) {
    it(`adds the chain (EIP-3085) when the wallet does not know it (${unknown}), then sends`, async () => {
      const w = scriptedWallet({ ...ok, wallet_switchEthereumChain: fail(unknown), wallet_addEthereumChain: ([p]: [AddChainParams]) => void (w.chain = p.chainId) }, '0x1');
      expect(await payWithWallet(w.provider, TX, ADD, manualTimers())).toEqual({ hash: HASH });
      expect(w.calls.find((c) => c.method === 'wallet_addEthereumChain')!.params).toEqual([ADD]);
    });
  }

  it('fails with "chain" when the chain is unknown to the wallet and Payframe has no public RPC to add it', async () => {
    const w = scriptedWallet({ ...ok, wallet_switchEthereumChain: fail(4902) }, '0x1');
    expect(await payWithWallet(w.provider, TX, null, manualTimers())).toEqual({ reason: 'chain' });
    expect(w.calls.map((c) => c.method)).not.toContain('eth_sendTransaction');
  });

  it('fails with "chain" and sends nothing when the buyer refuses to switch (4001)', async () => {
    const w = scriptedWallet({ ...ok, wallet_switchEthereumChain: fail(4001) }, '0x1');
    expect(await payWithWallet(w.provider, TX, ADD, manualTimers())).toEqual({ reason: 'chain' });
    expect(w.calls.map((c) => c.method)).not.toContain('eth_sendTransaction');
  });

  it('fails with "chain" when the wallet says it switched but is still on another chain', async () => {
    const w = scriptedWallet({ ...ok, wallet_switchEthereumChain: null }, '0x1');
    expect(await payWithWallet(w.provider, TX, null, manualTimers())).toEqual({ reason: 'chain' });
    expect(w.calls.map((c) => c.method)).not.toContain('eth_sendTransaction');
  });

  it('fails with "rejected" when the buyer rejects the connection or the transaction (4001)', async () => {
    expect(await payWithWallet(scriptedWallet({ eth_requestAccounts: fail(4001) }).provider, TX, null, manualTimers())).toEqual({ reason: 'rejected' });
    expect(await payWithWallet(scriptedWallet({ ...ok, eth_sendTransaction: fail(4001) }).provider, TX, null, manualTimers())).toEqual({ reason: 'rejected' });
  });

  it('fails with "funds" when the wallet says the balance is too low (ETH: insufficient funds; a token: its revert)', async () => {
    for (const message of ['Insufficient funds for gas * price + value', 'execution reverted: balance', 'ERC20: transfer amount exceeds balance']) {
      const w = scriptedWallet({ ...ok, eth_sendTransaction: fail(-32000, message) });
      expect(await payWithWallet(w.provider, TX, null, manualTimers()), message).toEqual({ reason: 'funds' });
    }
  });

  it('fails with "failed" on any other error', async () => {
    const w = scriptedWallet({ ...ok, eth_sendTransaction: fail(-32603, 'internal error') });
    expect(await payWithWallet(w.provider, TX, null, manualTimers())).toEqual({ reason: 'failed' });
  });

  it('fails with "timeout" when the wallet never answers, after the time a buyer is given to approve', async () => {
    const timers = manualTimers();
    const w = scriptedWallet({ eth_requestAccounts: 'never' });
    const result = payWithWallet(w.provider, TX, null, timers);
    await Promise.resolve();
    expect(timers.fire()).toEqual([TIMEOUT_MS]);
    expect(await result).toEqual({ reason: 'timeout' });
  });

  it('fails with "timeout" when the wallet stops answering in the middle, and sends nothing', async () => {
    const timers = manualTimers();
    const w = scriptedWallet({ ...ok, eth_chainId: 'never' });
    const result = payWithWallet(w.provider, TX, null, timers);
    // Two deadlines: the answered eth_requestAccounts' and the unanswered eth_chainId's.
    await expect.poll(() => timers.count).toBe(2);
    timers.fire();
    expect(await result).toEqual({ reason: 'timeout' });
    expect(w.calls.map((c) => c.method)).toEqual(['eth_requestAccounts', 'eth_chainId']);
  });
});
