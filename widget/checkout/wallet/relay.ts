/**
 * The checkout's end of the wallet relay (contract/wallet-relay.ts; the
 * merchant page's end is relay-page.ts): the page's wallets as providers
 * whose requests travel to the parent, accepted only from the parent window
 * and the origin the server vouched for.
 */
import type { RELAYED_METHODS } from '../../../contract/enums';
import type { WalletAnswer, WalletAsk } from '../../../contract/wallet-relay';
import type { Wallet } from './discover';

export const SOURCE = 'payframe-wallet';
/** A message without its `source`, for each member of the union. */
export type Bare<T> = T extends unknown ? Omit<T, 'source'> : never;

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
