/**
 * "Pay with <wallet>": one button per browser wallet, above the QR code, on
 * the pay screen. Nothing shows while there is none, or when the view has no
 * transaction a browser wallet can send (a UTXO chain, nothing due).
 *
 * A click runs the EIP-1193 flow for the view's transaction at that moment
 * (`walletTx`, the payment of its URI and QR code: server/checkout/payment-uri.ts);
 * the hash shows at once and the checkout then follows the payment like any
 * other. A failure says why, and the QR code and the address stay where they were.
 */
import { useEffect, useState } from 'preact/hooks';
import { shortHash } from '../format';
import { useI18n } from '../i18n/i18n';
import type { CheckoutModel } from '../model';
import { discoverWallets, type Wallet } from './discover';
import { payWithWallet, type PayResult } from './pay-flow';

export function WalletButtons({ model }: { model: CheckoutModel }) {
  const { t } = useI18n();
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [busy, setBusy] = useState<Wallet>();
  /** What the last click came to: the hash it sent, or why it did not. */
  const [result, setResult] = useState<PayResult>();
  useEffect(() => discoverWallets(window, setWallets), []);
  // One request at a time; the buttons stay enabled (and focusable) while the wallet asks the buyer.
  // The buttons show only while there is a transaction to send; a click sends the view's at that moment
  // (not this render's: a newer view, the remainder of an underpaid invoice, may have come since).
  const pay = async (w: Wallet) => {
    if (busy) return;
    setBusy(w);
    setResult(undefined);
    setResult(await payWithWallet(w.provider, model.view.value.walletTx!, model.walletChain, window));
    setBusy(undefined);
  };
  return (
    <div class="pf-wallet">
      {model.view.value.walletTx &&
        !result?.hash &&
        wallets.map((w) => (
          <button class="pf-btn" onClick={() => pay(w)}>
            {w.icon && <img src={w.icon} alt="" />}
            {busy === w ? t('wallet.confirm') : t('wallet.payWith', { wallet: w.name || t('wallet.unnamed') })}
          </button>
        ))}
      {result && (
        <p class="pf-note" role={result.hash ? 'status' : 'alert'}>
          {result.hash ? `${t('wallet.sent')} ${shortHash(result.hash)}` : `${t(`wallet.failed.${result.reason!}`)} ${t('wallet.wayOn')}`}
        </p>
      )}
    </div>
  );
}
