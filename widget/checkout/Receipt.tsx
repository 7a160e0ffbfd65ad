/**
 * The completed screen's receipt: what was paid, on which network, by which
 * transaction (linked to the chain's block explorer when CHAINS_FILE names
 * one), and when. Printable: print CSS (checkout.css) leaves the card alone.
 */
import type { CheckoutView } from '../../contract/checkout';
import { coinName } from './format';
import { useI18n } from './i18n/i18n';

export function Receipt({ view, explorerTxUrl, interactive }: { view: CheckoutView; explorerTxUrl: string | null; interactive: boolean }) {
  const { t, amount, network, dateTime } = useI18n();
  const hash = view.lastDepositHash;
  return (
    <section class="pf-receipt" aria-labelledby="pf-receipt">
      <h3 id="pf-receipt">{t('receipt.heading')}</h3>
      <dl>
        <dt>{t('amount')}</dt>
        <dd class="pf-num" dir="ltr">{`${amount(view.amountPaid)} ${coinName(view.currency.code)}`}</dd>
        <dt>{t('receipt.network')}</dt>
        <dd>{network(view.currency.network)}</dd>
        {hash && (
          <>
            <dt>{t('transaction')}</dt>
            <dd>
              <code dir="ltr">{hash}</code>
              {explorerTxUrl && (
                <a href={explorerTxUrl.replace('{hash}', encodeURIComponent(hash))} target="_blank" rel="noopener">
                  {t('receipt.explorer')}
                </a>
              )}
            </dd>
          </>
        )}
        {view.completedAt && (
          <>
            <dt>{t('receipt.time')}</dt>
            <dd class="pf-num">{dateTime(view.completedAt)}</dd>
          </>
        )}
      </dl>
      {interactive && (
        <button type="button" class="pf-copy" onClick={() => print()}>
          {t('receipt.print')}
        </button>
      )}
    </section>
  );
}
