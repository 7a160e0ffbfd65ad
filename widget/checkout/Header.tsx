/** The merchant's logo and display name, and the order's description, with its total (an invoice's amount, or a payment widget's price). */
import { useI18n } from './i18n/i18n';
import { leave } from './leave';

interface HeaderProps {
  logoUrl: string | null;
  /** The merchant's display name; merchant text, so only ever rendered as text. */
  merchant?: string | null | undefined;
  description: string;
  total: string;
  sandbox: boolean;
  /** In the loader's modal: a Close button inside the card. */
  modal: boolean;
}

export function Header({ logoUrl, merchant, description, total, sandbox, modal }: HeaderProps) {
  const { t } = useI18n();
  return (
    <header class="pf-head">
      {logoUrl && <img class="pf-logo" src={logoUrl} alt="" width={40} height={40} />}
      <div class="pf-grow">
        {merchant && <p class="pf-merchant" dir="auto">{merchant}</p>}
        {/* The order is what the page is about: its one h1; each screen's heading is an h2. In the merchant's language, whatever the page's direction. */}
        <h1 class="pf-desc" dir="auto">
          {description}
        </h1>
        <p class="pf-total" dir="ltr">
          {total}
        </p>
      </div>
      {sandbox && (
        <span class="pf-badge" title={t('sandboxHint')}>
          {t('sandbox')}
        </span>
      )}
      {modal && (
        <button type="button" class="pf-copy" onClick={() => leave({ type: 'close' })}>
          {t('close')}
        </button>
      )}
    </header>
  );
}
