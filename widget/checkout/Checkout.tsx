/**
 * The checkout: one screen per invoice state. The same tree renders on the
 * server (the /pay and /embed pages) and hydrates in the browser.
 */
import type { CheckoutModel, Screen } from './model';
import { ClosedScreen } from './ClosedScreen';
import { coinName, formatAmount } from './format';
import { Header } from './Header';
import { PayScreen } from './PayScreen';
import { ProgressScreen } from './ProgressScreen';
import { ReviewScreen } from './ReviewScreen';

/** Read out by screen readers when the screen changes. */
const ANNOUNCE: Record<Screen, string> = {
  pay: 'Waiting for your payment.',
  topup: 'Part of the amount received; the rest is due.',
  seen: 'Payment seen, waiting for confirmation.',
  paid: 'Payment received, confirming.',
  completed: 'Payment complete.',
  review: 'The payment needs the merchant’s review.',
  expired: 'The invoice expired.',
  cancelled: 'The invoice was cancelled.',
  closed: 'The invoice is closed.',
};

export function Checkout({ model }: { model: CheckoutModel }) {
  const screen = model.screen.value;
  const view = model.view.value;
  return (
    <div class="pf" data-state={view.state} data-screen={screen}>
      <Header logoUrl={view.logoUrl} merchant={model.merchantName} description={view.description} total={`${formatAmount(view.amount)} ${coinName(view.currency.code)}`} sandbox={model.sandbox} />
      <p class="pf-sr" role="status">
        {ANNOUNCE[screen]}
      </p>
      {screen === 'pay' || screen === 'topup' ? (
        <PayScreen model={model} />
      ) : screen === 'seen' || screen === 'paid' || screen === 'completed' ? (
        <ProgressScreen model={model} />
      ) : screen === 'review' ? (
        <ReviewScreen model={model} />
      ) : (
        <ClosedScreen model={model} />
      )}
    </div>
  );
}
