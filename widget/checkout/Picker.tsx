/**
 * The payment widget's coin picker: each accepted coin with its network and
 * the amount at the quote shown, the fiat price, and how long the rate stays
 * locked. A plain form (POST, one radio per coin), so it works without any
 * script; with script the countdown runs. Choosing a coin creates (or
 * reuses) its invoice, and the checkout continues as for any invoice.
 */
import type { ReadonlySignal } from '@preact/signals';
import type { WidgetView } from '../../contract/widget';
import { coinName, formatDuration } from './format';
import { Header } from './Header';
import { useI18n } from './i18n/i18n';

export interface PickerProps {
  view: WidgetView;
  /** Where the form posts (this page's own URL). */
  action: string;
  /** Seconds until the first shown quote's lock ends. */
  lockSeconds: ReadonlySignal<number>;
  sandbox: boolean;
  /** In the loader's modal: the card has a Close button. */
  modal?: boolean;
  /** The merchant's display name, for the header. */
  merchantName?: string | null | undefined;
}

export function Picker({ view, action, lockSeconds, sandbox, modal = false, merchantName }: PickerProps) {
  const { t, rich, amount, fiat, network } = useI18n();
  const price = fiat(view.fiatAmount, view.fiatCurrency);
  // A paid widget still takes another coin until it expires (Calypso's widget does too).
  const open = view.state !== 'ARCHIVED';
  return (
    <main class="pf" data-screen="picker">
      <Header logoUrl={view.logoUrl} merchant={merchantName} description={view.description} total={price} sandbox={sandbox} modal={modal} />
      {view.state === 'COMPLETED' && (
        <p class="pf-note" role="status">
          {t('picker.paid')}
        </p>
      )}
      {!open ? (
        <p class="pf-note" role="status">
          {t('picker.expired')}
        </p>
      ) : (
        <form method="post" action={action}>
          <h2>{t('picker.heading')}</h2>
          <fieldset class="pf-opts">
            <legend>{t('picker.legend')}</legend>
            {view.options.map((o, i) => (
              <label class="pf-opt" key={o.currency}>
                <input type="radio" name="currency" value={o.currency} required defaultChecked={i === 0 && o.amount !== null} disabled={o.amount === null} />
                <span class="pf-grow">{rich('coinOn', { coin: <b>{coinName(o.currency)}</b>, network: <bdi>{network(o.network)}</bdi> })}</span>
                <span class="pf-num" dir="ltr">
                  {o.amount === null ? t('picker.unavailable') : `${amount(o.amount)} ${coinName(o.currency)}`}
                </span>
              </label>
            ))}
          </fieldset>
          <p class="pf-net">{rich('picker.price', { price: <b dir="ltr">{price}</b> })}</p>
          <p class="pf-timer">
            {lockSeconds.value > 0
              ? rich('picker.lockedFor', {
                  time: (
                    <span class="pf-num" role="timer" dir="ltr">
                      {formatDuration(lockSeconds.value)}
                    </span>
                  ),
                })
              : t('picker.requote')}
          </p>
          <button class="pf-btn" type="submit">
            {t('picker.proceed')}
          </button>
        </form>
      )}
    </main>
  );
}
