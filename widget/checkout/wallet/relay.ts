/**
 * The checkout's end of the wallet relay (contract/wallet-relay.ts; the
 * merchant page's end is relay-page.ts): the page's wallets, announced inside
 * the iframe as EIP-6963 wallets whose requests travel to the parent, taken
 * only from the parent window and the origin the server vouched for.
 */
import type { RELAYED_METHODS } from '../../../contract/enums';
import type { WalletAnswer, WalletAsk } from '../../../contract/wallet-relay';

export const SOURCE = 'payframe-wallet';
/** A message without its `source`, for each member of the union. */
export type Bare<T> = T extends unknown ? Omit<T, 'source'> : never;

type Reply = Extract<WalletAnswer, { type: 'reply' }>;

/**
 * Announces the parent page's wallets in `win` (discover.ts lists them with the iframe's own): it asks the page for
 * them whenever the iframe asks its wallets to announce themselves (EIP-6963's requestProvider), as the pay screen
 * does each time it shows, so a screen that comes back (a top-up) finds them again.
 */
export function relayedWallets(win: Window & typeof globalThis, parentOrigin: string): void {
  const pending: ((m: Reply) => void)[] = [];
  const ask = (m: Bare<WalletAsk>) => win.parent.postMessage({ source: SOURCE, ...m }, parentOrigin);
  win.addEventListener('message', (e: MessageEvent<WalletAnswer>) => {
    const m = e.data;
    if (e.origin !== parentOrigin || e.source !== win.parent || m?.source !== SOURCE) return;
    if (m.type === 'reply') return pending[m.id]?.(m);
    for (const info of m.wallets) {
      const provider = {
        request: ({ method, params = [] }: { method: string; params?: unknown[] }) =>
          new Promise((resolve, reject) => {
            // The error as the wallet gave it ({code, message}): pay-flow.ts reads both.
            const id = pending.push((r) => (r.error ? reject(r.error) : resolve(r.result))) - 1;
            ask({ type: 'request', id, wallet: info.name, method: method as (typeof RELAYED_METHODS)[number], params });
          }),
      };
      win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail: { info, provider } }));
    }
  });
  win.addEventListener('eip6963:requestProvider', () => ask({ type: 'list' }));
}
