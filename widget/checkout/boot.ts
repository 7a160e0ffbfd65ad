/**
 * What the server hands the checkout app inside the page (a JSON data block,
 * not a script, so the CSP needs no inline-script allowance).
 */
import type { CheckoutView } from '../../contract/checkout';

export type CheckoutMode = 'pay' | 'embed';

export interface BootData {
  view: CheckoutView;
  /** The server's clock when it rendered the page: the countdown counts on it. */
  serverNow: number;
  mode: CheckoutMode;
  /** Embed only: the merchant origin that frames us, checked by the server against the merchant's origins. */
  parentOrigin: string | null;
  /** The invoice is on the sandbox chain: no real funds move. */
  sandbox: boolean;
  /**
   * The QR code of `view`'s payment URI as a data: URI, so the page's first
   * paint needs no request for it; later versions' QR codes load from /qr/.
   */
  qr?: { version: number; src: string } | undefined;
}

export const BOOT_ELEMENT_ID = 'payframe-boot';
export const ROOT_ELEMENT_ID = 'payframe';
