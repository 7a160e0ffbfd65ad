/** The merchant's logo and the order's description, with the invoice total. */
import type { CheckoutView } from '../../contract/checkout';
import { coinName, formatAmount } from './format';

export function Header({ view, sandbox }: { view: CheckoutView; sandbox: boolean }) {
  return (
    <header class="pf-head">
      {view.logoUrl && <img class="pf-logo" src={view.logoUrl} alt="" width={40} height={40} />}
      <div class="pf-grow">
        <p class="pf-desc">{view.description}</p>
        <p class="pf-total">
          {formatAmount(view.amount)} {coinName(view.currency.code)}
        </p>
      </div>
      {sandbox && (
        <span class="pf-badge" title="Sandbox chain: no real funds move">
          Sandbox
        </span>
      )}
    </header>
  );
}
