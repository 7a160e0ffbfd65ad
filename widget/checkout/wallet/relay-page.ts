/**
 * relay.js — the merchant page's end of the wallet relay
 * (contract/wallet-relay.ts). Browser wallets live in the page, the checkout
 * in a cross-origin iframe: widget.js imports this (built on its own,
 * `vite build --mode relay`) when the page has a wallet. It lists the page's
 * wallets to Payframe's iframes and carries their requests — only the
 * relayed methods — to the chosen wallet, and the answers back.
 */
import { RELAYED_METHODS } from '../../../contract/enums';
import type { FrameMessage } from '../../../contract/frame';
import type { WalletAnswer, WalletAsk } from '../../../contract/wallet-relay';
import { discoverWallets, type Wallet } from './discover';
import { SOURCE, type Bare } from './relay';

/** Pages that relay already (the loader may ask twice: a wallet's announcement and window.ethereum). */
const relaying = new WeakSet<Window>();

export function relayWallets(win: Window & typeof globalThis, payframeOrigin: string): void {
  if (relaying.has(win)) return;
  relaying.add(win);
  let wallets: Wallet[] = [];
  const frames = () => [...win.document.querySelectorAll('iframe')].flatMap((f) => (f.src.startsWith(`${payframeOrigin}/`) && f.contentWindow ? [f.contentWindow] : []));
  const tell = (to: MessageEventSource | Window, m: Bare<WalletAnswer>) => (to as Window).postMessage({ source: SOURCE, ...m }, payframeOrigin);
  const list = (to: MessageEventSource | Window) => tell(to, { type: 'wallets', wallets: wallets.map(({ name, icon }) => ({ name, icon })) });
  discoverWallets(win, (found) => ((wallets = found), frames().forEach(list)));
  win.addEventListener('message', (e: MessageEvent<WalletAsk | FrameMessage>) => {
    const m = e.data;
    if (e.origin !== payframeOrigin || !e.source) return;
    // A checkout that went live after the wallets were listed: tell it now, so it fetches its wallet buttons.
    if ((m?.source === 'payframe' && m.type === 'ready') || (m?.source === SOURCE && m.type === 'list')) return list(e.source);
    if (m?.source !== SOURCE) return;
    const wallet = wallets.find((w) => w.name === m.wallet);
    // Only what paying needs: a checkout can never ask the wallet to sign anything else.
    if (!wallet || !RELAYED_METHODS.includes(m.method)) return tell(e.source, { type: 'reply', id: m.id, error: { code: 4200, message: 'not relayed' } });
    wallet.provider.request({ method: m.method, params: m.params }).then(
      (result) => tell(e.source!, { type: 'reply', id: m.id, result }),
      (err: { code?: number; message?: unknown }) => tell(e.source!, { type: 'reply', id: m.id, error: { code: err?.code, message: String(err?.message) } }),
    );
  });
}
