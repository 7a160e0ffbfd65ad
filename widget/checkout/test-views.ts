/** Checkout views for the widget's unit tests: one per screen, from a realistic base. */
import type { CheckoutView } from '../../contract/checkout';
import type { WidgetView } from '../../contract/widget';
import type { BootData } from './boot';
import { evmPayment } from '../../server/checkout/payment-uri';

export const NOW = Date.parse('2026-11-24T12:00:00.000Z');

/** The URI and the wallet's transaction of a payment of `units` wei to the test invoice, as the server builds them. */
function payment(units: bigint): Pick<CheckoutView, 'paymentUri' | 'walletTx'> {
  const { uri, walletTx } = evmPayment({ address: '0x52908400098527886E0F7030069857D2E4169EE7', chainId: 1337, units });
  return { paymentUri: uri, walletTx };
}

export const pendingView: CheckoutView = {
  id: 'inv_test',
  version: 1,
  state: 'PENDING_PAYMENT',
  interventionType: null,
  isInterventionResolved: false,
  amount: '0.123456789012345678',
  amountPaid: '0',
  amountDue: '0.123456789012345678',
  currency: { code: 'ETH', network: 'ethereum', decimals: 18, token: null },
  address: '0x52908400098527886E0F7030069857D2E4169EE7',
  ...payment(123456789012345678n),
  createdAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 15 * 60_000).toISOString(),
  confirmations: { current: 0, paid: 1, final: 3 },
  lastDepositHash: null,
  description: 'Order #1042 — 2 × Mountain coffee',
  returnUrl: 'https://shop.example/thanks',
  supportUrl: 'https://shop.example/support',
  logoUrl: 'https://shop.example/logo.png',
  final: false,
};

const HASH = `0x${'3f'.repeat(32)}`;

export function viewWith(patch: Partial<CheckoutView>): CheckoutView {
  return { ...pendingView, ...patch };
}

export const underpaidView = viewWith({
  version: 3,
  state: 'PENDING_INTERVENTION',
  interventionType: 'UNDERPAY',
  amountPaid: '0.1',
  amountDue: '0.023456789012345678',
  ...payment(23456789012345678n),
  confirmations: { current: 1, paid: 1, final: 3 },
  lastDepositHash: HASH,
});

export const boot = (view: CheckoutView, serverNow = NOW): BootData => ({
  view,
  serverNow,
  mode: 'pay',
  parentOrigin: null,
  sandbox: true,
  locale: 'en',
  localeChosen: true,
});

/** The screens a paid invoice goes through, as its SSE stream sends them. */
export const seenView = viewWith({
  version: 2,
  state: 'MEM_POOL_FOUND',
  amountPaid: pendingView.amount,
  amountDue: '0',
  paymentUri: null,
  walletTx: null,
  lastDepositHash: HASH,
});

export const paidView = viewWith({ ...seenView, version: 3, state: 'PAID', confirmations: { current: 2, paid: 1, final: 3 } });

export const completedView = viewWith({ ...seenView, version: 4, state: 'COMPLETED', confirmations: { current: 3, paid: 1, final: 3 }, completedAt: new Date(NOW + 5 * 60_000).toISOString(), final: true });

/** When the quotes of `widgetView` stop being locked. */
export const LOCK_END = new Date(NOW + 15 * 60_000).toISOString();

/** A payment widget's picker: two coins with a locked quote, one without a rate. */
export const widgetView: WidgetView = {
  id: 'wid_test',
  state: 'IN_PROGRESS',
  description: 'Espresso beans, 1 kg',
  fiatAmount: '24.5',
  fiatCurrency: 'USD',
  expiresAt: new Date(NOW + 86_400_000).toISOString(),
  logoUrl: null,
  returnUrl: null,
  supportUrl: null,
  options: [
    { currency: 'USDT_MATIC', network: 'polygon', amount: '24.5', rate: '1', quoteExpiresAt: LOCK_END },
    { currency: 'ETH', network: 'ethereum', amount: '0.00816667', rate: '3000', quoteExpiresAt: LOCK_END },
    { currency: 'BNB', network: 'bsc', amount: null, rate: null, quoteExpiresAt: null },
  ],
};

/** The frame messages (type and state) a checkout posts to its page over one payment, pending to completed, resizes aside. */
export const MESSAGES_OF_A_PAYMENT = [
  'ready PENDING_PAYMENT',
  'status PENDING_PAYMENT',
  'status MEM_POOL_FOUND',
  'status PAID',
  'paid PAID',
  'status COMPLETED',
  'completed COMPLETED',
];
