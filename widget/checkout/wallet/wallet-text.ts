/**
 * Every word of "Pay with wallet", as the page's messages (`wallet.*` keys,
 * `{name}` placeholders): the server inlines them in the checkout page
 * (server/pages/render-page.tsx) and wallet.js reads them from there, so the
 * chunk carries no words of its own. A failure shows what happened, then the
 * way on; the QR code and the address stay right below the buttons.
 */
export const WALLET_WORDS = {
  'wallet.payWith': 'Pay with {wallet}',
  /** A wallet found only as window.ethereum, which tells no name. */
  'wallet.unnamed': 'browser wallet',
  'wallet.confirm': 'Confirm in your wallet…',
  'wallet.sent': 'Sent:',
  'wallet.failed.rejected': 'Cancelled in your wallet.',
  'wallet.failed.chain': 'Your wallet is on another network.',
  'wallet.failed.funds': 'Not enough funds in this wallet.',
  'wallet.failed.timeout': 'Your wallet did not answer.',
  'wallet.failed.failed': 'Your wallet could not send it.',
  'wallet.wayOn': 'Try again, or pay with the QR code below.',
} as const;
