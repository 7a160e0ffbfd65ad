/**
 * PENDING_INTERVENTION cases the buyer cannot fix: the merchant decides. Each
 * says what happened and what happens next, in plain words.
 */
import type { CheckoutModel } from './model';
import { TxField } from './ProgressScreen';
import { coinName } from './format';
import { useI18n, type MessageKey } from './i18n/i18n';

const CASES: Record<string, [heading: MessageKey, text: MessageKey, next: boolean]> = {
  UNDERPAY: ['underpay.heading', 'underpay.text', true],
  OVERPAY: ['overpay.heading', 'overpay.text', false],
  MULTIPLE_SENDERS: ['senders.heading', 'senders.text', true],
  LATE_PAYMENT: ['late.heading', 'late.text', true],
};

export function ReviewScreen({ model }: { model: CheckoutModel }) {
  const { t, rich, amount } = useI18n();
  const v = model.view.value;
  const sum = (decimal: string) => <bdi dir="ltr">{`${amount(decimal)} ${coinName(v.currency.code)}`}</bdi>;
  const [heading, text, next] = CASES[v.interventionType ?? 'LATE_PAYMENT'] ?? CASES.LATE_PAYMENT!;
  return (
    <section>
      <h2 class="pf-warn">{t(heading)}</h2>
      <p>
        {rich(text, { paid: sum(v.amountPaid), amount: sum(v.amount) })}
        {next && ` ${t('review.next')}`}
      </p>
      <TxField view={v} interactive={model.interactive.value} />
      <Support url={v.supportUrl} />
    </section>
  );
}

export function Support({ url }: { url: string | null }) {
  const { t } = useI18n();
  return (
    <p class="pf-support">
      {t('questions')}{' '}
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {t('contactSupport')}
        </a>
      ) : (
        t('contactMerchant')
      )}
    </p>
  );
}
