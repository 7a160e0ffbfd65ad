/**
 * The browser's wallets, by EIP-6963: each announces itself (name, icon,
 * provider) when the page asks, and again whenever it loads later. A wallet
 * too old to announce is found as `window.ethereum`, shown only while no
 * wallet has announced (it is usually one of them).
 * https://eips.ethereum.org/EIPS/eip-6963
 */
import type { Eip1193Provider } from './pay-flow';

interface WalletInfo {
  uuid: string;
  name: string;
  /** A data: URI (EIP-6963 requires one), or '' for the fallback. */
  icon: string;
  rdns: string;
}

export interface Wallet {
  info: WalletInfo;
  provider: Eip1193Provider;
}

export const FALLBACK_ID = 'window.ethereum';

type AnnounceEvent = CustomEvent<Wallet>;

/** Calls `onChange` with the wallets found so far, now and whenever another announces; returns the function that stops listening. */
export function discoverWallets(win: Window & typeof globalThis, onChange: (wallets: Wallet[]) => void, fallbackName: string): () => void {
  const announced = new Map<string, Wallet>();
  const report = () => {
    const injected = (win as { ethereum?: Eip1193Provider }).ethereum;
    const list = [...announced.values()];
    onChange(list.length || !injected ? list : [{ info: { uuid: FALLBACK_ID, name: fallbackName, icon: '', rdns: '' }, provider: injected }]);
  };
  const onAnnounce = (e: Event) => {
    const w = (e as AnnounceEvent).detail;
    // Only what EIP-6963 promises is used; anything else a page dispatches under this name is ignored.
    if (typeof w?.info?.uuid !== 'string' || typeof w.info.name !== 'string' || typeof w.provider?.request !== 'function') return;
    announced.set(w.info.uuid, { info: { uuid: w.info.uuid, name: w.info.name, icon: /^data:image\//.test(w.info.icon) ? w.info.icon : '', rdns: String(w.info.rdns ?? '') }, provider: w.provider });
    report();
  };
  win.addEventListener('eip6963:announceProvider', onAnnounce);
  win.dispatchEvent(new win.Event('eip6963:requestProvider'));
  report();
  return () => win.removeEventListener('eip6963:announceProvider', onAnnounce);
}
