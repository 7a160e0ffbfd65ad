/**
 * Content-Security-Policy of the checkout pages. Everything the page loads
 * is its own (the bundle, the stylesheet, the QR image, the checkout API),
 * plus the merchant's logo; the first QR code comes inside the page, as a
 * data: image, and the browser wallets' icons are data: images too. The data the app hydrates from is a JSON block,
 * which is not script, so no inline script is allowed at all.
 * https://www.w3.org/TR/CSP3/
 */

/** Only a plain http(s) origin may enter a policy: anything else could smuggle in a directive. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export function isPlainOrigin(value: string): boolean {
  return ORIGIN.test(value);
}

export function checkoutCsp(opts: { frameAncestors: readonly string[]; logoUrl: string | null; /** The widget picker posts its form to itself. */ formSelf?: boolean }): string {
  const logo = opts.logoUrl && URL.canParse(opts.logoUrl) ? new URL(opts.logoUrl).origin : null;
  const ancestors = opts.frameAncestors.filter(isPlainOrigin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // data: for the QR code inlined into the page (pages/qr.ts) and the wallets' icons, which EIP-6963 gives as
    // data: URIs: images, never a script.
    `img-src 'self' data:${logo && isPlainOrigin(logo) ? ` ${logo}` : ''}`,
    "connect-src 'self'",
    "base-uri 'none'",
    `form-action ${opts.formSelf ? "'self'" : "'none'"}`,
    // /pay passes none: it must not be framed at all (clickjacking); /embed the merchant's origins.
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
}
