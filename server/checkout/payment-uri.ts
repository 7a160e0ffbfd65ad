import { checksumAddress, isEvmAddress } from '../chains/eip55';
import type { WalletTx } from '../../contract/checkout';

/**
 * EIP-681 payment requests. A wallet that scans one fills in the recipient,
 * the amount in base units and, for a token, the ERC-20 transfer call.
 * https://eips.ethereum.org/EIPS/eip-681
 */
export interface EvmPaymentRequest {
  address: string;
  chainId: number;
  units: bigint;
  token?: string | undefined;
}

export function eip681(opts: EvmPaymentRequest): string {
  if (opts.token) {
    return `ethereum:${opts.token}@${opts.chainId}/transfer?address=${opts.address}&uint256=${opts.units}`;
  }
  return `ethereum:${opts.address}@${opts.chainId}?value=${opts.units}`;
}

/**
 * The transaction a browser wallet is asked to send (`eth_sendTransaction`'s
 * fields but `from`, and the EIP-155 chain it must go to): the same payment
 * as eip681() of the same request, so the button and the QR code cannot ask
 * for different ones. An ERC-20 payment is `transfer(address, uint256)`
 * calldata to the token: selector a9059cbb, then the recipient and the amount,
 * one 32-byte word each.
 */
export function walletTx(opts: EvmPaymentRequest): WalletTx {
  if (!opts.token) return { chainId: hex(BigInt(opts.chainId)), to: opts.address, value: hex(opts.units) };
  return { chainId: hex(BigInt(opts.chainId)), to: opts.token, data: `0xa9059cbb${word(opts.address.slice(2))}${word(opts.units.toString(16))}` };
}

// At module level: every checkout view calls walletTx, and a closure made in it also got its name set each time
// (tsx runs esbuild with keepNames).
const hex = (n: bigint) => `0x${n.toString(16)}`;
const word = (hexDigits: string) => hexDigits.toLowerCase().padStart(64, '0');

/** What a chain asks the buyer to pay: the URI (QR code, "Open in wallet") and, on an EVM chain, the wallet's transaction. */
export interface PaymentRequest {
  uri: string;
  walletTx: WalletTx | null;
}

/** Both forms of an EVM payment, from one request. */
export function evmPayment(opts: EvmPaymentRequest): PaymentRequest {
  return { uri: eip681(opts), walletTx: walletTx(opts) };
}

/** An EVM address as wallets show it (EIP-55); any other (bech32, base58) as it is. */
export function addressForDisplay(address: string): string {
  return isEvmAddress(address) ? checksumAddress(address) : address;
}

/**
 * The address a payment's sender is shown as (payments.sender; invoices/senders.ts):
 * its first item, an address on every chain; '' when the sender is unknown.
 */
export function senderAddress(sender: string): string {
  return addressForDisplay(sender.split(' ')[0] ?? '');
}
