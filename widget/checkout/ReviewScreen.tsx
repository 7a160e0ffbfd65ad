/**
 * PENDING_INTERVENTION cases the buyer cannot fix: the merchant decides. Each
 * says what happened and what happens next, in plain words.
 */
import type { ComponentChildren } from 'preact';
import type { CheckoutView } from '../../contract/checkout';
import type { CheckoutModel } from './model';
import { TxField } from './ProgressScreen';
import { coinName, formatAmount } from './format';

const NEXT = 'The merchant will review it and either accept the payment or refund you. Please do not send anything more to this address.';

function explain(v: CheckoutView): { title: string; text: ComponentChildren } {
  const coin = coinName(v.currency.code);
  const paid = `${formatAmount(v.amountPaid)} ${coin}`;
  const asked = `${formatAmount(v.amount)} ${coin}`;
  switch (v.interventionType) {
    case 'UNDERPAY':
      return { title: 'Paid less than the amount', text: `We received ${formatAmount(v.amountPaid)} of ${asked}, and the invoice is no longer open for the rest. ${NEXT}` };
    case 'OVERPAY':
      return {
        title: 'Paid more than the amount',
        text: `We received ${paid}, more than the ${asked} asked. The merchant will review it and refund the difference. Please do not send anything more.`,
      };
    case 'MULTIPLE_SENDERS':
      return { title: 'Payments from more than one wallet', text: `We received ${paid} from more than one wallet. ${NEXT}` };
    default:
      return { title: 'Paid after the invoice expired', text: `We received ${paid} after this invoice expired. ${NEXT}` };
  }
}

export function ReviewScreen({ model }: { model: CheckoutModel }) {
  const v = model.view.value;
  const { title, text } = explain(v);
  return (
    <section>
      <h2 class="pf-warn">{title}</h2>
      <p>{text}</p>
      <TxField view={v} interactive={model.interactive.value} />
      <Support url={v.supportUrl} />
    </section>
  );
}

export function Support({ url }: { url: string | null }) {
  return (
    <p class="pf-support">
      Questions?{' '}
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer">
          Contact support
        </a>
      ) : (
        'Contact the merchant.'
      )}
    </p>
  );
}
