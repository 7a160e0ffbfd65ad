/** The loader's API: what `Payframe.mount` and `Payframe.open` take. */
import type { AppearanceVariables } from '../../contract/appearance';
import type { FrameMessage, StateMessage, Theme } from '../../contract/frame';

type ReturnMessage = Extract<FrameMessage, { type: 'return' }>;

/** What to show: one invoice's checkout, or a payment widget's coin picker (then the checkout of the coin chosen). */
export type Target = { invoiceId: string; widget?: undefined } | { widget: string; invoiceId?: undefined };

/** Options of `Payframe.mount` and `Payframe.open`, besides the target. */
interface CheckoutOptions {
  /** light, dark, or auto (prefers-color-scheme); by default the merchant's default appearance's theme, else auto. */
  theme?: Theme | undefined;
  /** The checkout's language ("de", "pt-BR"); by default the invoice's locale, then the buyer's browser. */
  locale?: string | undefined;
  /** Colours, corner radius and font (docs/checkout.md, "Appearance"); over the merchant's default appearance. */
  variables?: AppearanceVariables | undefined;
  onReady?: ((message: StateMessage) => void) | undefined;
  onStatus?: ((message: StateMessage) => void) | undefined;
  onPaid?: ((message: StateMessage) => void) | undefined;
  onCompleted?: ((message: StateMessage) => void) | undefined;
  onClose?: (() => void) | undefined;
  /** In a modal: the buyer chose "Return to store" (the modal has closed). `url` is the invoice's returnUrl. */
  onReturn?: ((message: ReturnMessage) => void) | undefined;
}

export type MountOptions = Target & CheckoutOptions;

/** Options of `Payframe.open`: those of `mount`, and which parts of the page the modal leaves usable. */
export interface ModalOptions extends CheckoutOptions {
  /**
   * Elements that stay usable while the dialog is open (a support chat, a
   * test panel); the rest of the page is inert. The backdrop covers the page
   * at z-index 2147483646: to show above it, give them `position: fixed` and
   * `z-index: 2147483647`.
   */
  keepInteractive?: Element[] | undefined;
  /** After "Return to store" closed the modal (and onReturn ran), go to the return URL, as the hosted page does. Off by default. */
  navigateOnReturn?: boolean | undefined;
}
