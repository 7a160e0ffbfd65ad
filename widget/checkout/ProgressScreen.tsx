/** The payment on its way: seen in the mempool, received, final. */
import type { CheckoutView } from '../../contract/checkout';
import type { CheckoutModel } from './model';
import { Field } from './Field';
import { coinName, shortHash } from './format';
import { useI18n } from './i18n/i18n';
import { ReturnLink } from './ReturnLink';
import { Receipt } from './Receipt';

export function TxField({ view, interactive }: { view: CheckoutView; interactive: boolean }) {
  const { t } = useI18n();
  const hash = view.lastDepositHash;
  if (!hash) return null;
  return (
    <Field label={t('transaction')} copy={hash} interactive={interactive} title={hash}>
      {shortHash(hash)}
    </Field>
  );
}

export function ProgressScreen({ model }: { model: CheckoutModel }) {
  const { t, rich, amount } = useI18n();
  const v = model.view.value;
  const paid = <bdi dir="ltr">{`${amount(v.amountPaid)} ${coinName(v.currency.code)}`}</bdi>;
  const { current, final } = v.confirmations;
  const left = Math.max(1, final - current);
  switch (model.screen.value) {
    case 'seen':
      return (
        <section>
          <h2>
            <span class="pf-spin" aria-hidden="true" />
            {t('seen.heading')}
          </h2>
          <p>{rich('seen.text', { paid })}</p>
          <TxField view={v} interactive={model.interactive.value} />
        </section>
      );
    case 'paid':
      return (
        <section>
          <h2 class="pf-ok">{t('paid.heading')}</h2>
          <p>{rich('paid.text', { paid, n: <span class="pf-num">{left}</span> }, left)}</p>
          <progress max={final} value={Math.min(current, final)} aria-label={t('paid.progress')} />
          <TxField view={v} interactive={model.interactive.value} />
        </section>
      );
    default:
      return (
        <section>
          <h2 class="pf-ok">{t('completed.heading')}</h2>
          <p>{rich('completed.text', { paid })}</p>
          <Receipt view={v} explorerTxUrl={model.explorerTxUrl} interactive={model.interactive.value} />
          {v.returnUrl && <ReturnLink url={v.returnUrl} modal={model.modal} />}
        </section>
      );
  }
}
