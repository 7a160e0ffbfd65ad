/**
 * The part of "Pay with wallet" every checkout page carries: it asks
 * whether a wallet is there (EIP-6963, or window.ethereum) and only then
 * fetches the rest (wallet.ts, built as /wallet.js). Without a wallet
 * nothing more is loaded. Kept to a few bytes: the page's budget is spent.
 * The import's URL is not a literal on purpose: the bundler would wrap a
 * literal one in its preload helper, which costs more than this whole feature.
 */
import type { CheckoutModel } from '../model';
import type { startWallet } from './wallet';

const WALLET_SCRIPT = '/wallet.js';

export function offerWallet(model: CheckoutModel): void {
  const load = () => (import(/* @vite-ignore */ WALLET_SCRIPT) as Promise<{ startWallet: typeof startWallet }>).then((m) => m.startWallet(window, model));
  addEventListener('eip6963:announceProvider', load, { once: true });
  // In an iframe: the merchant page's relay says it has wallets (wallet.ts checks who sent it).
  addEventListener('message', (e) => e.data?.source === 'payframe-wallet' && load());
  dispatchEvent(new Event('eip6963:requestProvider'));
  if ('ethereum' in window) void load();
}
