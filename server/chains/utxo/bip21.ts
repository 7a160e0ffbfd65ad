/**
 * BIP-21 payment URIs (`bitcoin:ADDR?amount=0.001`, `litecoin:` for LTC):
 * what a wallet opens from a link or a scanned QR code, with the address and
 * the amount filled in. https://github.com/bitcoin/bips/blob/master/bip-0021.mediawiki
 */
import { formatUnits } from '../../money/amount';

export interface Bip21Request {
  /** The network's URI scheme (networks.ts `uriScheme`). */
  scheme: string;
  address: string;
  /** The amount due in base units (satoshi, litoshi); absent for an invoice that takes any amount. */
  units?: bigint;
  /** Base units per coin as a power of ten: 8 for BTC and LTC. BIP-21's amount is in whole coins. */
  decimals: number;
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/**
 * The payment URI, amount as exact decimal text in whole coins:
 *
 *   bip21({ scheme: 'bitcoin', address: 'bc1q…', units: 100_000n, decimals: 8 })
 *   // 'bitcoin:bc1q…?amount=0.001'
 */
export function bip21(request: Bip21Request): string {
  const { scheme, address, units, decimals } = request;
  if (!SCHEME.test(scheme)) throw new Error(`"${scheme}" is not a URI scheme`);
  if (units === undefined) return `${scheme}:${address}`;
  if (units <= 0n) throw new Error('a BIP-21 amount must be greater than zero; leave units out for an invoice that takes any amount');
  return `${scheme}:${address}?amount=${formatUnits(units, decimals)}`;
}

/** A URI's scheme and bech32 address (BIP-173: lower-case HRP, "1", data characters), up to its query. */
const BECH32_HEAD = /^[a-z][a-z0-9+.-]*:[a-z]{1,83}1[02-9ac-hj-np-z]{6,}(?=\?|$)/;

/**
 * The text for the QR code of a payment URI: a BIP-21 URI with a bech32
 * address gets scheme and address in upper case. Upper-case letters, digits
 * and ":" fit QR's alphanumeric mode (5.5 bits a character instead of 8),
 * so the code has fewer modules and scans more easily. BIP-173 reads a
 * bech32 address in either case and URI schemes are case-insensitive (RFC
 * 3986), as wallets implement them; the query stays as it is, since
 * "amount" is a name wallets match exactly. Any other URI (a base58
 * address, which is case-sensitive; EIP-681) is returned unchanged.
 */
export function qrText(uri: string): string {
  const head = BECH32_HEAD.exec(uri)?.[0];
  return head ? head.toUpperCase() + uri.slice(head.length) : uri;
}
