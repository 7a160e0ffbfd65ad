/**
 * Every word of the payment widget's coin picker, in one place: the
 * translation work (issue 12) replaces this module with a catalogue lookup.
 */
/** The checkout's link back to the picker (PayScreen): a constant of its own, so the checkout's bundle carries no other word of the picker. */
export const CHOOSE_ANOTHER = 'Choose another coin';

export const PICKER_TEXT = {
  heading: 'Choose how to pay',
  legend: 'Coin and network',
  on: 'on',
  unavailable: 'no rate right now',
  price: 'Price',
  lockedFor: 'Rate locked for',
  requote: 'The rate lock ended; reload the page for current amounts.',
  proceed: 'Proceed to payment',
  paid: 'This order is paid. You can still pay with another coin until the link expires.',
  expired: 'This payment link has expired. Ask the merchant for a new one.',
  chooseAnother: CHOOSE_ANOTHER,
} as const;
