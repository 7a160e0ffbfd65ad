/** The payment on its way: seen in the mempool, received, final. */
import type { CheckoutView } from '../../contract/checkout';
import type { CheckoutModel } from './model';
import { Field } from './Field';
import { coinName, formatAmount, shortHash } from './format';

export function TxField({ view, interactive }: { view: CheckoutView; interactive: boolean }) {
  const hash = view.lastDepositHash;
  if (!hash) return null;
  return (
    <Field label="Transaction" copy={hash} interactive={interactive} title={hash}>
      {shortHash(hash)}
    </Field>
  );
}

export function ProgressScreen({ model }: { model: CheckoutModel }) {
  const v = model.view.value;
  const paid = `${formatAmount(v.amountPaid)} ${coinName(v.currency.code)}`;
  const { current, final } = v.confirmations;
  switch (model.screen.value) {
    case 'seen':
      return (
        <section>
          <h2>
            <span class="pf-spin" aria-hidden="true" />
            Payment seen
          </h2>
          <p>Your payment of {paid} is on its way. Waiting for the network to confirm it; this can take a few minutes. You can leave this page open.</p>
          <TxField view={v} interactive={model.interactive.value} />
        </section>
      );
    case 'paid':
      return (
        <section>
          <h2 class="pf-ok">Payment received</h2>
          <p>
            {paid} received. Confirmations: <span class="pf-num">{current}</span> of {final} until final.
          </p>
          <progress max={final} value={Math.min(current, final)} aria-label="Confirmations" />
          <TxField view={v} interactive={model.interactive.value} />
        </section>
      );
    default:
      return (
        <section>
          <h2 class="pf-ok">Payment complete</h2>
          <p>Thank you. {paid} received and final.</p>
          {v.returnUrl && (
            <a class="pf-btn" href={v.returnUrl} target="_top">
              Return to store
            </a>
          )}
        </section>
      );
  }
}
