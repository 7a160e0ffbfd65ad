/**
 * The checkout: one screen per invoice state. The same tree renders on the
 * server (the /pay and /embed pages) and hydrates in the browser.
 */
import type { CheckoutModel } from './model';
import { ClosedScreen } from './ClosedScreen';
import { coinName } from './format';
import { Header } from './Header';
import { useI18n } from './i18n/i18n';
import { PayScreen } from './PayScreen';
import { ProgressScreen } from './ProgressScreen';
import { ReviewScreen } from './ReviewScreen';
import { useStore } from './store';

export function Checkout({ model }: { model: CheckoutModel }) {
  const { t, amount } = useI18n();
  useStore(model);
  const screen = model.screen.value;
  const view = model.view.value;
  return (
    <main class="pf" data-state={view.state} data-screen={screen}>
      {/* What this screen asks for: the remainder on a top-up, not the first total. */}
      <Header
        logoUrl={view.logoUrl}
        merchant={model.merchantName}
        description={view.description}
        total={`${amount(screen === 'topup' ? view.amountDue : view.amount)} ${coinName(view.currency.code)}`}
        sandbox={model.sandbox}
        modal={model.modal}
      />
      {/* Read out by screen readers when the screen changes, and once when two minutes are left to pay (never each second). */}
      <p class="pf-sr" role="status">
        {(screen === 'pay' || screen === 'topup') && model.hurry.value ? t('announce.twoMinutes') : t(`announce.${screen}`)}
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
    </main>
  );
}
