/** The merchant's logo and the order's description, with its total (an invoice's amount, or a payment widget's price). */
import { useI18n } from './i18n/i18n';

export function Header({ logoUrl, description, total, sandbox }: { logoUrl: string | null; description: string; total: string; sandbox: boolean }) {
  const { t } = useI18n();
  return (
    <header class="pf-head">
      {logoUrl && <img class="pf-logo" src={logoUrl} alt="" width={40} height={40} />}
      <div class="pf-grow">
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
    </header>
  );
}
