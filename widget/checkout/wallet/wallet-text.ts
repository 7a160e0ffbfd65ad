/**
 * Every word of "Pay with wallet", in one place: the translation work
 * (issue 12) replaces this module with a catalogue lookup. A failure shows
 * what happened, then the way on; the QR code and the address stay right
 * below the buttons. Short on purpose: this text travels in a chunk with a
 * 1 KB budget.
 */
export const WALLET_TEXT = {
  payWith: (wallet: string) => `Pay with ${wallet}`,
  /** A wallet found only as window.ethereum, which tells no name. */
  unnamed: 'browser wallet',
  confirm: 'Confirm in your wallet…',
  sent: 'Sent:',
  failed: {
    rejected: 'Cancelled in your wallet.',
    chain: 'Your wallet is on another network.',
    funds: 'Not enough funds in this wallet.',
    timeout: 'Your wallet did not answer.',
    failed: 'Your wallet could not send it.',
  },
  wayOn: 'Try again, or pay with the QR code below.',
} as const;
