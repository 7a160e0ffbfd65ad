/**
 * Payframe.mount: one checkout iframe inside a container. Its messages are
 * accepted only from the Payframe origin and from that very iframe (two
 * checkouts on a page never hear each other's), then re-emitted as the
 * callbacks and as DOM events `payframe:<type>` (detail = the message) that
 * bubble from the container.
 */
import type { FrameMessage } from '../../contract/frame';
import type { MountOptions } from './options';

// Where this script came from is where Payframe is: read it while the script runs.
const script = document.currentScript as HTMLScriptElement | null;
const origin = script ? new URL(script.src).origin : '';

/**
 * Browser wallets inject into this page, not into the checkout's cross-origin
 * iframe: when the page has one (EIP-6963, or window.ethereum), fetch the
 * relay that lends it to the checkout (contract/wallet-relay.ts). Without a
 * wallet nothing is fetched.
 */
export function lendWallets(): void {
  if (!origin) return;
  const relay = () => import(/* @vite-ignore */ `${origin}/relay.js`).then((m: { relayWallets(w: Window, o: string): void }) => m.relayWallets(window, origin));
  addEventListener('eip6963:announceProvider', relay, { once: true });
  dispatchEvent(new Event('eip6963:requestProvider'));
  if ('ethereum' in window) void relay();
}

/** Mounts a checkout (`{invoiceId}`) or a payment widget's picker (`{widget}`) inside `el`. `unmount()` removes it and stops listening. */
export function mount(el: HTMLElement, opts: MountOptions & { modal?: boolean }): { unmount(): void } {
  // Its URL tells where Payframe is; a module script has no currentScript.
  if (!origin) throw new Error('Payframe: load widget.js by a classic <script src>');
  const frame = document.createElement('iframe');
  const path = opts.widget ? `w/${encodeURIComponent(opts.widget)}` : encodeURIComponent(opts.invoiceId!);
  // An empty theme when none is asked for: the merchant's default appearance decides then.
  const query = new URLSearchParams({ parent: location.origin, theme: opts.theme ?? '', ...opts.variables });
  if (opts.locale) query.set('locale', opts.locale);
  if (opts.modal) query.set('modal', '1');
  frame.src = `${origin}/embed/${path}?${query}`;
  frame.title = 'Payment';
  // Copy buttons use the clipboard; the iframe needs the host's permission.
  frame.allow = 'clipboard-write';
  // Set through CSSOM, which a host CSP without 'unsafe-inline' styles still allows.
  // The height follows the checkout's screens: eased, unless the buyer asked for less motion.
  frame.style.cssText = `display:block;width:100%;height:560px;border:0;color-scheme:normal${matchMedia('(prefers-reduced-motion:reduce)').matches ? '' : ';transition:height .2s'}`;
  const callbacks: Record<string, ((m: never) => void) | undefined> = {
    ready: opts.onReady,
    status: opts.onStatus,
    paid: opts.onPaid,
    completed: opts.onCompleted,
    close: opts.onClose,
    return: opts.onReturn,
  };
  const onMessage = (e: MessageEvent<FrameMessage>) => {
    const m = e.data;
    if (e.origin !== origin || e.source !== frame.contentWindow || m?.source !== 'payframe') return;
    if (m.type === 'resize') frame.style.height = `${m.height}px`;
    callbacks[m.type]?.(m as never);
    el.dispatchEvent(new CustomEvent(`payframe:${m.type}`, { detail: m, bubbles: true }));
  };
  addEventListener('message', onMessage);
  el.append(frame);
  return {
    unmount() {
      removeEventListener('message', onMessage);
      frame.remove();
    },
  };
}
