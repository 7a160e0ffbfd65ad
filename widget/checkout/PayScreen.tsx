/**
 * What to send, where, and by when: PENDING_PAYMENT, and an underpaid invoice
 * that is still open (then everything asks for the remainder: the amount, the
 * QR code and the wallet link all come from the view's amountDue/paymentUri).
 */
import type { CheckoutModel } from './model';
import { Field } from './Field';
import { Support } from './ReviewScreen';
import { coinName, formatAmount, formatFiat, networkName, shortHash } from './format';
import { CHOOSE_ANOTHER } from './picker-text';

export function PayScreen({ model }: { model: CheckoutModel }) {
  const v = model.view.value;
  const coin = coinName(v.currency.code);
  const topup = model.screen.value === 'topup';
  const interactive = model.interactive.value;
  return (
    <section>
      <h2>{topup ? 'Send the remaining amount' : `Pay with ${coin}`}</h2>
      {topup && (
        <p class="pf-note">
          You paid {formatAmount(v.amountPaid)} of {formatAmount(v.amount)} {coin}. Send the remaining <b>{formatAmount(v.amountDue)} {coin}</b> from the
          same wallet before the time runs out, and the payment completes.
        </p>
      )}
      {v.paymentUri && (
        <>
          {/* "Pay with <wallet>" buttons go here, when the browser has a wallet (wallet/offer.ts). */}
          <div class="pf-wallet" />
          <div class="pf-qr">
            <img src={model.qrUrl} width={240} height={240} alt={`QR code: ${v.paymentUri}`} elementtiming="qr" />
          </div>
          <a class="pf-btn" href={v.paymentUri} target="_top">
            Open in wallet
          </a>
        </>
      )}
      <Field label="Amount" copy={v.amountDue} interactive={interactive}>
        {formatAmount(v.amountDue)} {coin}
      </Field>
      {v.fiat && (
        <p class="pf-fiat">
          {formatFiat(v.fiat.amount, v.fiat.currency)} at {formatAmount(v.fiat.rate)} {v.fiat.currency}/{coin}
        </p>
      )}
      <p class="pf-net">
        on {networkName(v.currency.network)}
        {v.currency.token && <span title={v.currency.token}> · token {shortHash(v.currency.token)}</span>}
      </p>
      <Field label="Address" copy={v.address} interactive={interactive}>
        {v.address}
      </Field>
      <p class="pf-timer">
        Expires in{' '}
        <span class="pf-num" role="timer">
          {model.timeLeft}
        </span>
      </p>
      {/* Someone who already sent part of the money may need help; the first screen stays short without it. */}
      {topup && <Support url={v.supportUrl} />}
      {!topup && model.widgetUrl && (
        <p>
          <a href={model.widgetUrl}>{CHOOSE_ANOTHER}</a>
        </p>
      )}
    </section>
  );
}
