/**
 * widget.js — puts a Payframe checkout on a merchant's page. No framework;
 * it stays under 1.5 KB gzip.
 *
 * Inline, without code:
 *   <script src="https://pay.example.com/widget.js" async></script>
 *   <div data-payframe-invoice="inv_…"></div>
 *   <div data-payframe-widget="wid_…"></div>     (a payment widget: the buyer picks the coin)
 *
 * From code:
 *   const { unmount } = Payframe.mount(el, { invoiceId, onPaid: (m) => … });
 *   const { close } = Payframe.open(invoiceId, { onCompleted: (m) => …, onClose: () => … });
 *   Payframe.open({ widget: 'wid_…' }, { onCompleted: (m) => … });
 *
 * Each checkout is an iframe to /embed/:id; see mount.ts for its messages.
 */
import type { MountOptions } from './options';
import { openModal } from './modal';
import { lendWallets, mount } from './mount';

declare global {
  interface Window {
    Payframe: { mount: typeof mount; open: typeof openModal };
  }
}

window.Payframe = { mount, open: openModal };
lendWallets();

function autoMount() {
  for (const el of document.querySelectorAll<HTMLElement>('[data-payframe-invoice]:not([data-payframe-mounted]),[data-payframe-widget]:not([data-payframe-mounted])')) {
    el.dataset.payframeMounted = '';
    const { payframeInvoice: invoiceId, payframeWidget: widget } = el.dataset;
    mount(el, { ...(widget ? { widget } : { invoiceId: invoiceId! }), theme: el.dataset.payframeTheme as MountOptions['theme'], locale: el.dataset.payframeLocale });
  }
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount);
else autoMount();
