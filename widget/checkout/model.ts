/**
 * The state of one mounted checkout: the invoice's view (store.ts), the
 * countdown, and which screen to show. A page may hold several checkouts,
 * so nothing here is module-level; each `createCheckoutModel` is independent.
 * The server builds one too, to render the page, and never starts it.
 */
import type { CheckoutView } from '../../contract/checkout';
import type { BootData } from './boot';
import { createCountdown, type Timers } from './countdown';
import { formatDuration, isZero } from './format';
import { connectLive, type LiveDeps, type Transport } from './live';
import { createStore } from './store';

export type Screen =
  /** PENDING_PAYMENT: what to send, where, and by when. */
  | 'pay'
  /** Underpaid while the invoice is still open: send the rest. */
  | 'topup'
  | 'seen'
  | 'paid'
  | 'completed'
  /** PENDING_INTERVENTION the buyer cannot fix: the merchant decides. */
  | 'review'
  /** Expired with nothing paid (including the seconds before the server archives it). */
  | 'expired'
  /** Archived by the merchant before anything was paid. */
  | 'cancelled'
  /** Archived after funds arrived: the merchant rejected them. */
  | 'closed';

export function screenOf(view: CheckoutView, secondsLeft: number): Screen {
  switch (view.state) {
    case 'PENDING_PAYMENT':
      return secondsLeft > 0 ? 'pay' : 'expired';
    case 'MEM_POOL_FOUND':
      return 'seen';
    case 'PAID':
      return 'paid';
    case 'COMPLETED':
      return 'completed';
    case 'PENDING_INTERVENTION':
      return view.interventionType === 'UNDERPAY' && !view.isInterventionResolved && secondsLeft > 0 ? 'topup' : 'review';
    case 'ARCHIVED':
      return !isZero(view.amountPaid) ? 'closed' : secondsLeft > 0 ? 'cancelled' : 'expired';
  }
}

export interface ModelEnv {
  monotonic: () => number;
  timers: Timers;
  /** How to follow the invoice; the server renders without it. */
  live?: LiveDeps;
}

const TWO_MINUTES = 120;

/** A value computed from cells on every read: cheaper than caching for values this small. */
const derived = <T,>(read: () => T) => ({
  get value() {
    return read();
  },
});

export function createCheckoutModel(boot: BootData, env: ModelEnv) {
  const id = boot.view.id;
  const { cell, subscribe } = createStore();
  const view = cell(boot.view);
  /** The version whose payment URI the QR shows: it changes only when the URI does (e.g. to the remainder). */
  const qrVersion = cell(boot.view.version);
  const countdown = createCountdown({ expiresAt: Date.parse(boot.view.expiresAt), serverNow: boot.serverNow, monotonic: env.monotonic, timers: env.timers });
  const secondsLeft = cell(countdown.seconds());
  /** Whether this page saw more than two minutes left: only then is "two minutes left" news to announce. */
  const warnable = secondsLeft.peek() > TWO_MINUTES;
  /** False while server-rendered: controls that need script (copy buttons) appear once it runs. */
  const interactive = cell(false);
  const transport = cell<Transport | 'static'>('static');

  function update(next: CheckoutView) {
    if (next.paymentUri !== view.peek().paymentUri) qrVersion.value = next.version;
    view.value = next;
  }

  return {
    id,
    sandbox: boot.sandbox,
    merchantName: boot.merchantName ?? null,
    /** What a wallet that does not know the invoice's chain is asked to add (EIP-3085). */
    walletChain: boot.walletChain ?? null,
    /** The payment widget's picker this invoice came from, where the buyer may choose another coin. */
    widgetUrl: boot.widgetUrl ?? null,
    /** In the loader's modal: Close and "Return to store" close it (leave.ts). */
    modal: boot.modal === true,
    /** The chain's block explorer page of a transaction, `{hash}` in it: the receipt links there. */
    explorerTxUrl: boot.explorerTxUrl ?? null,
    view,
    secondsLeft,
    interactive,
    transport,
    subscribe,
    screen: derived(() => screenOf(view.value, secondsLeft.value)),
    timeLeft: derived(() => formatDuration(secondsLeft.value)),
    /** Two minutes or less left to pay, reached while the buyer watched (the live region says it once). */
    hurry: derived(() => warnable && secondsLeft.value <= TWO_MINUTES),
    qrUrl: derived(() => (boot.qr?.version === qrVersion.value ? boot.qr.src : `/qr/${encodeURIComponent(id)}/${qrVersion.value}.svg`)),
    update,
    /** Goes live: countdown, SSE or polling. Returns the function that stops both. */
    start(): () => void {
      interactive.value = true;
      const stopCountdown = countdown.run((s) => (secondsLeft.value = s));
      const stopLive = env.live
        ? connectLive({ url: `/api/checkout/${encodeURIComponent(id)}`, view: boot.view, onView: update, onTransport: (t) => (transport.value = t) }, env.live)
        : () => undefined;
      return () => {
        stopCountdown();
        stopLive();
      };
    },
  };
}

export type CheckoutModel = ReturnType<typeof createCheckoutModel>;
