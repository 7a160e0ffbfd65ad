/**
 * The transaction a browser wallet is asked to send, read from the view's
 * EIP-681 payment URI: the very text the QR code and "Open in wallet" carry,
 * built on the server for the amount due (server/checkout/payment-uri.ts),
 * so the button and the QR cannot ask for different payments.
 * https://eips.ethereum.org/EIPS/eip-681
 */

/** `eth_sendTransaction`'s fields (without `from`), and the chain (EIP-155 id, 0x hex) it must go to. */
export interface TxRequest {
  chainId: string;
  to: string;
  value?: string;
  data?: string;
}

// ethereum:<address>@<chain>?value=<units>  or  ethereum:<token>@<chain>/transfer?address=0x<address>&uint256=<units>
const EIP681 = /^ethereum:(0x[\da-f]{40})@(\d+)(?:\?value=(\d+)|\/transfer\?address=0x([\da-f]{40})&uint256=(\d+))$/i;

const hex = (n: string) => `0x${BigInt(n).toString(16)}`;

/** The payment as a transaction, or null for a URI a wallet cannot send from here (bitcoin:, none when nothing is due). */
export function txRequest(paymentUri: string | null): TxRequest | null {
  const m = EIP681.exec(paymentUri ?? '');
  if (!m) return null;
  const [, to = '', chain = '', value = '', recipient, units = ''] = m;
  // transfer(address,uint256): selector a9059cbb, then the recipient and the amount, one 32-byte word each.
  const transfer = () => `0xa9059cbb${recipient!.toLowerCase().padStart(64, '0')}${BigInt(units).toString(16).padStart(64, '0')}`;
  return { chainId: hex(chain), to, ...(recipient ? { data: transfer() } : { value: hex(value) }) };
}
