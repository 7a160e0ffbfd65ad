/**
 * The payment widget's coin picker: each accepted coin with its network and
 * the amount at the quote shown, the fiat price, and how long the rate stays
 * locked. A plain form (POST, one radio per coin), so it works without any
 * script; with script the countdown runs. Choosing a coin creates (or
 * reuses) its invoice, and the checkout continues as for any invoice.
 */
import type { ReadonlySignal } from '@preact/signals';
import type { WidgetView } from '../../contract/widget';
import { coinName, formatAmount, formatDuration, formatFiat, networkName } from './format';
import { Header } from './Header';
import { PICKER_TEXT as T } from './picker-text';

export interface PickerProps {
  view: WidgetView;
  /** Where the form posts (this page's own URL). */
  action: string;
  /** Seconds until the first shown quote's lock ends. */
  lockSeconds: ReadonlySignal<number>;
  sandbox: boolean;
  /** The merchant's display name, for the header. */
  merchantName?: string | null | undefined;
}

export function Picker({ view, action, lockSeconds, sandbox, merchantName }: PickerProps) {
  const price = formatFiat(view.fiatAmount, view.fiatCurrency);
  // A paid widget still takes another coin until it expires (Calypso's widget does too).
  const open = view.state !== 'ARCHIVED';
  return (
    <div class="pf" data-screen="picker">
      <Header logoUrl={view.logoUrl} merchant={merchantName} description={view.description} total={price} sandbox={sandbox} />
      {view.state === 'COMPLETED' && (
        <p class="pf-note" role="status">
          {T.paid}
        </p>
      )}
      {!open ? (
        <p class="pf-note" role="status">
          {T.expired}
        </p>
      ) : (
        <form method="post" action={action}>
          <h2>{T.heading}</h2>
          <fieldset class="pf-opts">
            <legend>{T.legend}</legend>
            {view.options.map((o, i) => (
              <label class="pf-opt" key={o.currency}>
                <input type="radio" name="currency" value={o.currency} required defaultChecked={i === 0 && o.amount !== null} disabled={o.amount === null} />
                <span class="pf-grow">
                  <b>{coinName(o.currency)}</b> {T.on} {networkName(o.network)}
                </span>
                <span class="pf-num">{o.amount === null ? T.unavailable : `${formatAmount(o.amount)} ${coinName(o.currency)}`}</span>
              </label>
            ))}
          </fieldset>
          <p class="pf-net">
            {T.price}: <b>{price}</b>
          </p>
          <p class="pf-timer">
            {lockSeconds.value > 0 ? (
              <>
                {T.lockedFor}{' '}
                <span class="pf-num" role="timer">
                  {formatDuration(lockSeconds.value)}
                </span>
              </>
            ) : (
              T.requote
            )}
          </p>
          <button class="pf-btn" type="submit">
            {T.proceed}
          </button>
        </form>
      )}
    </div>
  );
}
