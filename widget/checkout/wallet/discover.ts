/**
 * The browser's wallets, by EIP-6963: each announces itself (name, icon,
 * provider) when the page asks, and again whenever it loads later. A wallet
 * too old to announce is found as `window.ethereum`, shown only while no
 * wallet has announced (it is usually one of them). Wallets are told apart by
 * name: one that announces twice (again on every request, or both in the
 * checkout's iframe and through the merchant page's relay) is listed once,
 * the first way it came.
 * https://eips.ethereum.org/EIPS/eip-6963
 */
import type { Eip1193Provider } from './pay-flow';

export interface Wallet {
  /** What tells it apart (relay messages name it too); '' for window.ethereum, which tells no name (the buttons say "browser wallet"). */
  name: string;
  /** A data: image (what EIP-6963 requires), or ''. */
  icon: string;
  provider: Eip1193Provider;
}

/** An announcement's icon, only as a data: image: nothing is fetched from a server a wallet names (and the CSP allows no other). */
const dataImage = (icon: unknown) => (/^data:image\//.test(`${icon}`) ? `${icon}` : '');

/** Calls `onChange` with the wallets found so far, now and whenever another announces; returns the function that stops listening. */
export function discoverWallets(win: Window & typeof globalThis, onChange: (wallets: Wallet[]) => void): () => void {
  const announced = new Map<string, Wallet>();
  const report = () => {
    const injected = (win as { ethereum?: Eip1193Provider }).ethereum;
    onChange(announced.size || !injected ? [...announced.values()] : [{ name: '', icon: '', provider: injected }]);
  };
  const announce = (e: Event) => {
    const { info, provider } = (e as CustomEvent).detail ?? {};
    const name = `${info?.name}`;
    if (provider?.request && !announced.has(name)) announced.set(name, { name, icon: dataImage(info.icon), provider });
    report();
  };
  win.addEventListener('eip6963:announceProvider', announce);
  win.dispatchEvent(new win.Event('eip6963:requestProvider'));
  report();
  return () => win.removeEventListener('eip6963:announceProvider', announce);
}
