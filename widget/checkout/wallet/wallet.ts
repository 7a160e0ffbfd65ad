/**
 * wallet.js — "Pay with <wallet>": one button per browser wallet, above the
 * QR code. Built on its own (`vite build --mode wallet`, plain DOM, no
 * framework) and fetched by the checkout only once a wallet is known to be
 * there (offer.ts), so a buyer without one downloads none of it.
 *
 * A click runs the EIP-1193 flow for the transaction read, at that moment,
 * from the view's payment URI; the hash shows at once and the checkout then
 * follows the payment like any other. A failure says why, and the QR code
 * and the address stay where they were.
 */
import { BOOT_ELEMENT_ID, type BootData } from '../boot';
import { shortHash } from '../format';
import type { CheckoutModel } from '../model';
import { discoverWallets, type Wallet } from './discover';
import { relayedWallets } from './relay';
import { payWithWallet, type PayResult } from './pay-flow';
import { txRequest } from './tx-request';
import { WALLET_TEXT as T } from './wallet-text';

/** Documents the buttons run in: one start each (the wallet's announcement and window.ethereum may both ask). */
const started = new WeakSet<Document>();

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
  // The chain to add when the wallet does not know it (EIP-3085), from the page's boot data.
  const boot = JSON.parse(doc.getElementById(BOOT_ELEMENT_ID)?.textContent ?? '{}') as Partial<BootData>;
  const addChain = boot.walletChain ?? null;
  let own: Wallet[] = [];
  let relayed: Wallet[] = [];
  let busy: Wallet | null = null;
  let result: PayResult | null = null;

  const make = (tag: string, props: object, ...kids: (Node | string)[]) => {
    const e = Object.assign(doc.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  // The icon is styled through CSSOM (`style` set as a property), which the page's CSP allows.
  const button = (w: Wallet) =>
    make(
      'button',
      { type: 'button', className: 'pf-btn', onclick: () => void pay(w) },
      ...(w.icon ? [make('img', { src: w.icon, alt: '', width: 20, height: 20, style: 'vertical-align:middle;margin-inline-end:8px' })] : []),
      busy === w ? T.confirm : T.payWith(w.name || T.unnamed),
    );
  const render = () => {
    const note = result && make('p', result.ok ? {} : { className: 'pf-note' }, result.ok ? `${T.sent} ${shortHash(result.hash)}` : `${T.failed[result.reason]} ${T.wayOn}`);
    note?.setAttribute('role', result?.ok ? 'status' : 'alert');
    const payable = txRequest(model.view.peek().paymentUri) !== null;
    const slot = doc.querySelector('.pf-wallet');
    // Redrawn buttons are new elements: a keyboard user who pressed one keeps the focus on them.
    const focused = slot?.contains(doc.activeElement);
    slot?.replaceChildren(...(result?.ok || !payable ? [] : [...own, ...relayed.filter((r) => !own.some((o) => o.name === r.name))].map(button)), ...(note ? [note] : []));
    if (focused) slot?.querySelector('button')?.focus();
  };
  // One request at a time; the buttons stay enabled (and focusable) while the wallet asks the buyer.
  const pay = async (w: Wallet) => {
    if (busy) return;
    const tx = txRequest(model.view.peek().paymentUri);
    busy = w;
    result = null;
    render();
    result = tx ? await payWithWallet(w.provider, tx, addChain, win) : { ok: false, reason: 'failed' };
    busy = null;
    render();
  };
  discoverWallets(win, (list) => ((own = list), render()));
  // In an iframe the wallets are the merchant page's, lent through its relay (relay.ts); one that also injected into the iframe is listed once.
  if (boot.mode === 'embed' && boot.parentOrigin) relayedWallets(win, boot.parentOrigin, (list) => ((relayed = list), render()));
  // The checkout renders a new, empty element when the pay screen comes back: fill it.
  new win.MutationObserver(() => doc.querySelector('.pf-wallet:empty') && render()).observe(doc.body, { childList: true, subtree: true });
}
