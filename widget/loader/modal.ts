/**
 * Payframe.open: the checkout in a modal dialog over the merchant's page.
 * Closes on the Close button inside the checkout's card and on Escape inside
 * it (the iframe reports both), on Escape on the page, on a click on the
 * backdrop, and on "Return to store" (onReturn; the page stays unless
 * `navigateOnReturn`). While it is open the rest
 * of the page is inert, so keyboard focus stays in the dialog — except the
 * elements named in `keepInteractive`.
 */
import type { ModalOptions, Target } from './options';
import { mount } from './mount';

/** `Payframe.open(invoiceId, options)`, or `Payframe.open({ widget }, options)` for a payment widget's picker. */
export function openModal(what: string | Target, opts: ModalOptions = {}): { close(): void } {
  const target: Target = typeof what === 'string' ? { invoiceId: what } : what;
  const invoiceId = target.invoiceId ?? '';
  const before = document.activeElement as HTMLElement | null;
  const root = document.documentElement;
  const overflow = root.style.overflow;
  const make = (tag: string, css: string, parent?: HTMLElement) => {
    const el = document.createElement(tag);
    el.style.cssText = css;
    parent?.append(el);
    return el;
  };
  // One below the maximum, so an element the page keeps interactive can sit above the backdrop.
  const overlay = make('div', 'position:fixed;inset:0;z-index:2147483646;display:flex;overflow:auto;padding:12px;background:rgba(0,0,0,.55)');
  const dialog = make('div', 'width:100%;max-width:456px;margin:auto', overlay);
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', 'Payment');

  const keep = opts.keepInteractive ?? [];
  const inert: HTMLElement[] = [];
  // Everything but the kept elements; their ancestors stay usable only for their sake, so the walk goes down into those.
  const walk = (parent: Element) => {
    for (const el of parent.children as HTMLCollectionOf<HTMLElement>) {
      if (keep.includes(el)) continue;
      if (keep.some((k) => el.contains(k))) walk(el);
      else if (!el.inert) inert.push(el);
    }
  };
  walk(document.body);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    // While the dialog is still in the document, so the event reaches listeners on document.
    dialog.dispatchEvent(new CustomEvent('payframe:close', { detail: { invoiceId }, bubbles: true }));
    checkout.unmount();
    overlay.remove();
    removeEventListener('keydown', onKey);
    for (const el of inert) el.inert = false;
    root.style.overflow = overflow;
    before?.focus();
    opts.onClose?.();
  };
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();

  // The iframe's own "close" message (Escape, or the Close button in its card) ends here too, not in the caller's onClose twice.
  // "Return to store" closes the modal; the merchant's page goes to the return URL only when it asked to.
  const checkout = mount(dialog, {
    ...opts,
    ...target,
    modal: true,
    onClose: close,
    onReturn: (m) => {
      close();
      opts.onReturn?.(m);
      if (opts.navigateOnReturn) location.assign(m.url);
    },
  });
  overlay.onclick = (e) => e.target === overlay && close();
  addEventListener('keydown', onKey);
  document.body.append(overlay);
  for (const el of inert) el.inert = true;
  root.style.overflow = 'hidden';
  // Into the dialog itself (a focused iframe loses the focus when its page loads): the next Tab is the Close button in the checkout's card.
  dialog.tabIndex = -1;
  dialog.focus();
  return { close };
}
