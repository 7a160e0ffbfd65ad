/**
 * Fiat currencies: ISO 4217 as the runtime's Intl knows it, with each
 * currency's minor units (2 for USD, 0 for JPY, 3 for KWD). No table of our
 * own to keep: Intl's comes from CLDR and moves with Node.
 */

export interface FiatCurrency {
  code: string;
  /** Digits after the point in an amount: the ISO 4217 minor unit. */
  minorUnits: number;
}

const CODE = /^[A-Z]{3}$/;
let supported: ReadonlySet<string> | undefined;

/** The ISO 4217 currency `code` (upper case), or undefined when Intl does not know it. */
export function findFiat(code: string): FiatCurrency | undefined {
  if (!CODE.test(code)) return undefined;
  supported ??= new Set(Intl.supportedValuesOf('currency'));
  if (!supported.has(code)) return undefined;
  const minorUnits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  return { code, minorUnits };
}
