/**
 * The transaction a browser wallet is asked to send, read from the view's
 * EIP-681 payment URI: the very text the QR code and "Open in wallet" carry,
 * so the button and the QR cannot ask for different payments. The URI is
 * built on the server for the amount due (server/checkout/payment-uri.ts).
 * https://eips.ethereum.org/EIPS/eip-681
 */
import type { CheckoutView } from '../../../contract/checkout';

/** `eth_sendTransaction`'s fields (without `from`), and the chain (EIP-155 id, 0x hex) it must go to. */
export interface TxRequest {
  chainId: string;
  to: string;
  value?: string;
  data?: string;
}

// ethereum:<address>@<chain>?value=<units>  or  ethereum:<token>@<chain>/transfer?address=<address>&uint256=<units>
const EIP681 = /^ethereum:(0x[\da-f]{40})@(\d+)(?:\?value=(\d+)|\/transfer\?address=(0x[\da-f]{40})&uint256=(\d+))$/i;

const hex = (n: string) => `0x${BigInt(n).toString(16)}`;
const word = (h: string) => h.padStart(64, '0');

/** Decimal text in the coin's units → base units ("1.5", 6 → 1500000n). */
function baseUnits(decimal: string, decimals: number): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole + fraction.padEnd(decimals, '0'));
}

/**
 * The payment as a transaction, or null when a wallet cannot make it: no
 * EVM URI (a UTXO coin, nothing due), or one that does not say what the rest
 * of the view says (another recipient, token or amount) — then the buyer
 * keeps the manual path rather than approve something the page does not show.
 */
export function txRequest(view: Pick<CheckoutView, 'paymentUri' | 'address' | 'amountDue' | 'currency'>): TxRequest | null {
  const m = EIP681.exec(view.paymentUri ?? '');
  if (!m) return null;
  const [, target, chain, value, recipient, units] = m as unknown as [string, string, string, string?, string?, string?];
  const token = view.currency.token;
  const to = recipient ?? target;
  const amount = value ?? units!;
  const same = (a: string | null | undefined, b: string | null | undefined) => a?.toLowerCase() === b?.toLowerCase();
  if (!same(to, view.address) || !same(recipient && target, token) || BigInt(amount) !== baseUnits(view.amountDue, view.currency.decimals)) return null;
  const chainId = hex(chain);
  // transfer(address,uint256): selector a9059cbb, then the recipient and the amount, one 32-byte word each.
  return recipient ? { chainId, to: target, data: `0xa9059cbb${word(recipient.slice(2).toLowerCase())}${word(BigInt(amount).toString(16))}` } : { chainId, to: target, value: hex(amount) };
}
