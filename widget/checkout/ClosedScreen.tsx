/** ARCHIVED, or PENDING_PAYMENT past its expiry: no payment is possible any more. */
import type { CheckoutModel } from './model';
import { Support } from './ReviewScreen';
import { coinName, formatAmount } from './format';

export function ClosedScreen({ model }: { model: CheckoutModel }) {
  const v = model.view.value;
  const screen = model.screen.value;
  const text =
    screen === 'expired'
      ? 'This invoice expired before a payment arrived. Do not send anything to its address; return to the store to place the order again.'
      : screen === 'cancelled'
        ? 'The merchant cancelled this invoice. Do not send anything to its address.'
        : `The merchant declined the ${formatAmount(v.amountPaid)} ${coinName(v.currency.code)} received and closed this invoice; any refund is arranged by the merchant.`;
  return (
    <section>
      <h2>{screen === 'expired' ? 'Invoice expired' : 'Invoice closed'}</h2>
      <p>{text}</p>
      {v.returnUrl && (
        <a class="pf-btn" href={v.returnUrl} target="_top">
          Return to store
        </a>
      )}
      <Support url={v.supportUrl} />
    </section>
  );
}
