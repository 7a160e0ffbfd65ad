/** The merchant's logo and display name, and the order's description, with its total (an invoice's amount, or a payment widget's price). */
export function Header({ logoUrl, merchant, description, total, sandbox }: { logoUrl: string | null; merchant?: string | null | undefined; description: string; total: string; sandbox: boolean }) {
  return (
    <header class="pf-head">
      {logoUrl && <img class="pf-logo" src={logoUrl} alt="" width={40} height={40} />}
      <div class="pf-grow">
        {merchant && <p class="pf-merchant">{merchant}</p>}
        <p class="pf-desc">{description}</p>
        <p class="pf-total">{total}</p>
      </div>
      {sandbox && (
        <span class="pf-badge" title="Sandbox chain: no real funds move">
          Sandbox
        </span>
      )}
    </header>
  );
}
