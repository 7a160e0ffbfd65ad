/**
 * What the server hands the checkout app inside the page (a JSON data block,
 * not a script, so the CSP needs no inline-script allowance).
 */
import type { CheckoutView } from '../../contract/checkout';
import type { WidgetView } from '../../contract/widget';
import type { AddChainParams } from './wallet/pay-flow';

export type CheckoutMode = 'pay' | 'embed';

/** What every page tells the app about its language and address. */
interface PageBoot {
  /** The locale the server chose and rendered in; its catalogue is in the MESSAGES_ELEMENT_ID block. */
  locale: string;
  /** False when nothing asked for a language (no option, invoice locale or Accept-Language): the browser's language may then choose. */
  localeChosen: boolean;
  /** Embed only, in the loader's modal (`?modal=1`): the card shows a Close button, and "Return to store" closes the modal. */
  modal?: boolean;
}

export interface BootData extends PageBoot {
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
  /** The invoice came from a payment widget: its picker, where the buyer can choose another coin. */
  widgetUrl?: string | null;
  /** What a browser wallet that does not know the invoice's chain is asked to add (EIP-3085); absent when Payframe knows no public RPC for it. */
  walletChain?: AddChainParams | null;
  /** A block explorer's page of a transaction on the invoice's chain, `{hash}` where the hash goes (CHAINS_FILE `explorerTxUrl`). */
  explorerTxUrl?: string | null;
  /** The merchant's display name for the header; merchant text, so only ever rendered as text. */
  merchantName?: string | null;
}

/** What a payment widget's picker page (/w/:id, /embed/w/:id) hands the app. */
export interface PickerBoot extends PageBoot {
  kind: 'picker';
  view: WidgetView;
  serverNow: number;
  mode: CheckoutMode;
  parentOrigin: string | null;
  sandbox: boolean;
  /** Where the picker's form posts. */
  action: string;
  merchantName?: string | null;
}

/** The soonest a shown quote stops being locked (epoch ms), or null when none is shown. */
export function lockEndsAt(view: WidgetView): number | null {
  const ends = view.options.flatMap((o) => (o.quoteExpiresAt ? [Date.parse(o.quoteExpiresAt)] : []));
  return ends.length ? Math.min(...ends) : null;
}

export const BOOT_ELEMENT_ID = 'payframe-boot';
export const ROOT_ELEMENT_ID = 'payframe';
/** The page's words, a JSON data block of message key → text: the chosen locale's catalogue, what the page's script reads of it. */
export const MESSAGES_ELEMENT_ID = 'payframe-messages';
