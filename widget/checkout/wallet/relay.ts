/**
 * Both ends of the wallet relay (contract/wallet-relay.ts): wallets live in
 * the merchant's page, the checkout in a cross-origin iframe.
 *
 * - `relayWallets` runs in the merchant's page (widget.js imports it when the
 *   page has a wallet): it lists the page's wallets to Payframe's iframes
 *   and carries their requests — only the relayed methods — to the wallet.
 * - `relayedWallets` runs in the checkout: the page's wallets as providers
 *   whose requests travel to the parent, accepted only from the parent
 *   window and the origin the server vouched for.
 */
import { RELAYED_METHODS } from '../../../contract/enums';
import type { FrameMessage } from '../../../contract/frame';
import type { WalletAnswer, WalletAsk } from '../../../contract/wallet-relay';
import { discoverWallets, type Wallet } from './discover';

const SOURCE = 'payframe-wallet';
/** A message without its `source`, for each member of the union. */
type Bare<T> = T extends unknown ? Omit<T, 'source'> : never;

/** Pages that relay already (the loader may ask twice: a wallet's announcement and window.ethereum). */
const relaying = new WeakSet<Window>();

export function relayWallets(win: Window & typeof globalThis, payframeOrigin: string, unnamed: string): void {
  if (relaying.has(win)) return;
  relaying.add(win);
  let wallets: Wallet[] = [];
  const frames = () => [...win.document.querySelectorAll('iframe')].flatMap((f) => (f.src.startsWith(`${payframeOrigin}/`) && f.contentWindow ? [f.contentWindow] : []));
  const tell = (to: MessageEventSource | Window, m: Bare<WalletAnswer>) => (to as Window).postMessage({ source: SOURCE, ...m }, payframeOrigin);
  const list = (to: MessageEventSource | Window) => tell(to, { type: 'wallets', wallets: wallets.map(({ uuid, name, icon }) => ({ uuid, name, icon })) });
  discoverWallets(win, (found) => ((wallets = found), frames().forEach(list)), unnamed);
  win.addEventListener('message', (e: MessageEvent<WalletAsk | FrameMessage>) => {
    const m = e.data;
    if (e.origin !== payframeOrigin || !e.source) return;
    // A checkout that went live after the wallets were listed: tell it now, so it fetches its wallet buttons.
    if ((m?.source === 'payframe' && m.type === 'ready') || (m?.source === SOURCE && m.type === 'list')) return list(e.source);
    if (m?.source !== SOURCE) return;
    const wallet = wallets.find((w) => w.uuid === m.wallet);
    // Only what paying needs: a checkout can never ask the wallet to sign anything else.
    if (!wallet || !RELAYED_METHODS.includes(m.method)) return tell(e.source, { type: 'reply', id: m.id, error: { code: 4200, message: 'not relayed' } });
    wallet.provider.request({ method: m.method, params: m.params }).then(
      (result) => tell(e.source!, { type: 'reply', id: m.id, result }),
      (err: { code?: number; message?: unknown }) => tell(e.source!, { type: 'reply', id: m.id, error: { code: err?.code, message: String(err?.message) } }),
    );
  });
}

export function relayedWallets(win: Window & typeof globalThis, parentOrigin: string, onChange: (wallets: Wallet[]) => void): void {
  const pending = new Map<number, (m: Extract<WalletAnswer, { type: 'reply' }>) => void>();
  let id = 0;
  const ask = (m: Bare<WalletAsk>) => win.parent.postMessage({ source: SOURCE, ...m }, parentOrigin);
  win.addEventListener('message', (e: MessageEvent<WalletAnswer>) => {
    const m = e.data;
    if (e.origin !== parentOrigin || e.source !== win.parent || m?.source !== SOURCE) return;
    if (m.type === 'reply') return pending.get(m.id)?.(m);
    onChange(
      m.wallets.map(({ uuid, name, icon }) => ({
        uuid,
        name,
        icon: /^data:image\//.test(icon) ? icon : '',
        provider: {
          request: ({ method, params = [] }) =>
            new Promise((resolve, reject) => {
              pending.set(++id, (r) => (pending.delete(r.id), r.error ? reject(Object.assign(new Error(r.error.message), { code: r.error.code })) : resolve(r.result)));
              ask({ type: 'request', id, wallet: uuid, method: method as (typeof RELAYED_METHODS)[number], params });
            }),
        },
      })),
    );
  });
  ask({ type: 'list' });
}
