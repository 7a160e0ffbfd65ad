/**
 * wallet.js — "Pay with <wallet>": one button per browser wallet, above the
 * QR code. Built on its own (`vite build --mode wallet`, plain DOM, no
 * framework) and fetched by the checkout only once a wallet is known to be
 * there (offer.ts), so a buyer without one downloads none of it. Its words
 * are the page's (the `wallet.*` messages the server inlined), not its own.
 *
 * A click runs the EIP-1193 flow for the view's transaction at that moment
 * (`walletTx`, the payment of its URI and QR code: server/checkout/payment-uri.ts); the hash shows at once and the checkout then
 * follows the payment like any other. A failure says why, and the QR code
 * and the address stay where they were.
 */
import { BOOT_ELEMENT_ID, MESSAGES_ELEMENT_ID, type BootData } from '../boot';
import { shortHash } from '../format';
import type { CheckoutModel } from '../model';
import { discoverWallets, type Wallet } from './discover';
import { payWithWallet } from './pay-flow';

/** Documents the buttons run in: one start each (the wallet's announcement and window.ethereum may both ask). */
const started = new WeakSet<Document>();

/** Where the checkout's iframe gets the merchant page's wallets (relay.ts, built as its own module: only an iframe loads it). */
const FRAME_RELAY_SCRIPT = '/wallet-frame.js';

/**
 * Fills the pay screen's `.pf-wallet` element with the wallets' buttons
 * (nothing while there is none, or when the invoice is not payable from an
 * EVM wallet), and again whenever that screen comes back (an underpaid
 * invoice asks for the rest).
 */
export function startWallet(win: Window & typeof globalThis, model: Pick<CheckoutModel, 'view'>): void {
  const doc = win.document;
  if (started.has(doc)) return;
  started.add(doc);
  const json = (id: string) => JSON.parse(doc.getElementById(id)?.textContent || '{}');
  const boot = json(BOOT_ELEMENT_ID) as Partial<BootData>;
  const words = json(MESSAGES_ELEMENT_ID) as Record<string, string>;
  const say = (key: string, value = '') => `${words[`wallet.${key}`]}`.replace(/\{\w+\}/, value);
  const tx = () => model.view.peek().walletTx;
  let wallets: Wallet[] = [];
  let busy: Wallet | null = null;
  /** What the last click came to: the hash it sent, or why it did not. */
  let note: [role: string, text: string] | null = null;

  const make = (tag: string, props: object, ...kids: (Node | string)[]) => {
    const e = Object.assign(doc.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  const render = () => {
    const slot = doc.querySelector('.pf-wallet');
    // Redrawn buttons are new elements: a keyboard user who pressed one keeps the focus on them.
    const focused = slot?.contains(doc.activeElement);
    slot?.replaceChildren(
      ...(note?.[0] === 'status' || !tx() ? [] : wallets).map((w) =>
        make(
          'button',
          { type: 'button', className: 'pf-btn', onclick: () => void pay(w) },
          // Styled through CSSOM (`style` set as a property), which the page's CSP allows.
          ...(w.icon ? [make('img', { src: w.icon, alt: '', width: 20, height: 20, style: 'vertical-align:middle;margin-inline-end:8px' })] : []),
          busy === w ? say('confirm') : say('payWith', w.name || say('unnamed')),
        ),
      ),
    );
    if (note) slot?.append(make('p', { className: 'pf-note', role: note[0] }, note[1]));
    if (focused) slot?.querySelector('button')?.focus();
  };
  // One request at a time; the buttons stay enabled (and focusable) while the wallet asks the buyer.
  const pay = async (w: Wallet) => {
    const t = tx();
    if (busy || !t) return;
    busy = w;
    note = null;
    render();
    const r = await payWithWallet(w.provider, t, boot.walletChain ?? null, win);
    note = 'hash' in r ? ['status', `${say('sent')} ${shortHash(r.hash)}`] : ['alert', `${say(`failed.${r.reason}`)} ${say('wayOn')}`];
    busy = null;
    render();
  };
  discoverWallets(win, (list) => ((wallets = list), render()));
  // In an iframe the wallets are the merchant page's, lent through its relay and announced here like the iframe's own.
  if (boot.mode === 'embed' && boot.parentOrigin) void import(/* @vite-ignore */ FRAME_RELAY_SCRIPT).then((m: typeof import('./relay')) => m.relayedWallets(win, boot.parentOrigin!));
  // The checkout renders a new, empty element when the pay screen comes back: fill it.
  new win.MutationObserver(() => doc.querySelector('.pf-wallet:empty') && render()).observe(doc.body, { childList: true, subtree: true });
}
