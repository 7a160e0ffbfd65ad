/**
 * What to send, where, and by when: PENDING_PAYMENT, and an underpaid invoice
 * that is still open (then everything asks for the remainder: the amount, the
 * QR code and the wallet link all come from the view's amountDue/paymentUri).
 */
import type { CheckoutModel } from './model';
import { Field } from './Field';
import { Support } from './ReviewScreen';
import { coinName, shortHash } from './format';
import { useI18n } from './i18n/i18n';
import { WalletButtons } from './wallet/WalletButtons';

export function PayScreen({ model }: { model: CheckoutModel }) {
  const { t, rich, amount, fiat, clock, network: networkName } = useI18n();
  const v = model.view.value;
  const coin = coinName(v.currency.code);
  const network = networkName(v.currency.network);
  const sum = (decimal: string) => <bdi dir="ltr">{`${amount(decimal)} ${coin}`}</bdi>;
  const topup = model.screen.value === 'topup';
  const interactive = model.interactive.value;
  return (
    <section>
      {/* One span: the heading is a flex box, which would drop the space between the words and the coin. */}
      <h2>
        <span>{topup ? t('topup.heading') : rich('pay.heading', { coin: <bdi>{coin}</bdi> })}</span>
      </h2>
      {topup && <p class="pf-note">{rich('topup.note', { paid: sum(v.amountPaid), amount: sum(v.amount), due: <b>{sum(v.amountDue)}</b> })}</p>}
      {v.paymentUri && (
        <>
          <WalletButtons model={model} />
          <div class="pf-qr">
            <img src={model.qrUrl.value} width={240} height={240} alt={t('qrAlt')} elementtiming="qr" />
          </div>
          <a class="pf-btn" href={v.paymentUri} target="_top">
            {t('openWallet')}
          </a>
        </>
      )}
      <Field label={t('amount')} copy={v.amountDue} interactive={interactive}>
        {amount(v.amountDue)} {coin}
      </Field>
      {v.fiat && (
        <p class="pf-fiat">
          {rich('fiatAt', { fiat: <bdi dir="ltr">{fiat(v.fiat.amount, v.fiat.currency)}</bdi>, rate: <bdi dir="ltr">{`${amount(v.fiat.rate)} ${v.fiat.currency}/${coin}`}</bdi> })}
        </p>
      )}
      {/* Where to send, as prominent as what: a payment on another network is lost. */}
      <div class="pf-note pf-net">
        <p class="pf-chip">
          {rich('coinOn', { coin: <bdi>{coin}</bdi>, network: <bdi>{network}</bdi> })}
        </p>
        <p>{rich('networkWarning', { coin: <b>{coin}</b>, network: <b>{network}</b> })}</p>
      </div>
      {/* The contract a wallet may ask for to add the token: one tap copies it whole; shortened, it never wraps. */}
      {v.currency.token && (
        <Field label={t('tokenContract')} copy={v.currency.token} interactive={interactive} title={v.currency.token} nowrap>
          {shortHash(v.currency.token)}
        </Field>
      )}
      {/* In groups of four for reading (a group never breaks across lines); the copy button copies it whole. */}
      <Field label={t('address')} copy={v.address} interactive={interactive}>
        {v.address.match(/^0x|.{1,4}/g)!.map((group, i) => (
          <span class="pf-g" key={i}>
            {group}
          </span>
        ))}
      </Field>
      <p class="pf-timer">
        {/* The local time needs the buyer's time zone: it appears once the page runs in their browser. */}
        {rich(interactive ? 'deadline' : 'expiresIn', {
          time: (
            <span class="pf-num" role="timer" dir="ltr">
              {model.timeLeft.value}
            </span>
          ),
          clock: <bdi dir="ltr">{clock(v.expiresAt)}</bdi>,
        })}
      </p>
      {/* Someone who already sent part of the money may need help; the first screen stays short without it. */}
      {topup && <Support url={v.supportUrl} />}
      {!topup && model.widgetUrl && (
        <p>
          <a href={model.widgetUrl}>{t('picker.chooseAnother')}</a>
        </p>
      )}
    </section>
  );
}
