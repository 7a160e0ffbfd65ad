import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { discoverWallets, type Wallet } from './discover';

const ICON = 'data:image/svg+xml;base64,PHN2Zy8+';
const provider = (name: string) => ({ name, request: async () => null });

/** A wallet extension's content script: it announces itself whenever the page asks (EIP-6963). */
function installWallet(win: Window, name: string, info: { icon?: string } = {}) {
  const detail = Object.freeze({ info: { uuid: `uuid-${name}`, name, icon: ICON, ...info }, provider: provider(name) });
  const announce = () => win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail }));
  win.addEventListener('eip6963:requestProvider', announce);
  return announce;
}

describe('discoverWallets', () => {
  it('lists every wallet that announces itself, by name and icon, including one that loads later', () => {
    const win = new Window();
    installWallet(win, 'MetaMask');
    let seen: Wallet[] = [];
    discoverWallets(win as never, (w) => (seen = w));
    expect(seen.map((w) => [w.name, w.icon])).toEqual([['MetaMask', ICON]]);
    installWallet(win, 'Rabby')();
    expect(seen.map((w) => w.name)).toEqual(['MetaMask', 'Rabby']);
  });

  it('falls back to window.ethereum when no wallet announces, and drops it when one does', () => {
    const win = new Window();
    const injected = provider('legacy');
    Object.assign(win, { ethereum: injected });
    let seen: Wallet[] = [];
    discoverWallets(win as never, (w) => (seen = w));
    expect(seen).toEqual([{ name: '', icon: '', provider: injected }]);
    installWallet(win, 'Rabby')();
    expect(seen.map((w) => w.name)).toEqual(['Rabby']);
  });

  it('lists a wallet once by its name, the first way it came (announced again, or also through the merchant page’s relay)', () => {
    const win = new Window();
    const again = installWallet(win, 'MetaMask');
    let seen: Wallet[] = [];
    discoverWallets(win as never, (w) => (seen = w));
    const first = seen[0]!.provider;
    again();
    win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail: { info: { uuid: 'relayed', name: 'MetaMask', icon: ICON }, provider: provider('relayed') } }));
    expect(seen.map((w) => w.name)).toEqual(['MetaMask']);
    expect(seen[0]!.provider).toBe(first);
  });

  it('finds nothing on a page without a wallet', () => {
    let seen: Wallet[] | undefined;
    discoverWallets(new Window() as never, (w) => (seen = w));
    expect(seen).toEqual([]);
  });

  it('ignores announcements without a provider, and icons that are not data: images', () => {
    const win = new Window();
    let seen: Wallet[] = [];
    discoverWallets(win as never, (w) => (seen = w));
    win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail: { info: { uuid: 'x', name: 'Fake' } } }));
    installWallet(win, 'Tracker', { icon: 'https://tracker.example/pixel.png' })();
    expect(seen.map((w) => [w.name, w.icon])).toEqual([['Tracker', '']]);
  });

});
