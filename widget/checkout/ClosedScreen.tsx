/** ARCHIVED, or PENDING_PAYMENT past its expiry: no payment is possible any more. */
import type { CheckoutModel } from './model';
import { Support } from './ReviewScreen';
import { coinName } from './format';
import { useI18n } from './i18n/i18n';
import { ReturnLink } from './ReturnLink';

export function ClosedScreen({ model }: { model: CheckoutModel }) {
  const { t, rich, amount } = useI18n();
  const v = model.view.value;
  const screen = model.screen.value;
  return (
    <section>
      <h2>{t(screen === 'expired' ? 'expired.heading' : 'closed.heading')}</h2>
      <p>
        {screen === 'expired'
          ? t('expired.text')
          : screen === 'cancelled'
            ? t('cancelled.text')
            : rich('closed.text', { paid: <bdi dir="ltr">{`${amount(v.amountPaid)} ${coinName(v.currency.code)}`}</bdi> })}
      </p>
      {v.returnUrl && <ReturnLink url={v.returnUrl} modal={model.modal} />}
      <Support url={v.supportUrl} />
    </section>
  );
}
