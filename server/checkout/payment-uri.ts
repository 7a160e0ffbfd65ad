import { getAddress } from 'viem';

/**
 * EIP-681 payment requests. A wallet that scans one fills in the recipient,
 * the amount in base units and, for a token, the ERC-20 transfer call.
 * https://eips.ethereum.org/EIPS/eip-681
 */
export function eip681(opts: { address: string; chainId: number; units: bigint; token?: string }): string {
  if (opts.token) {
    return `ethereum:${opts.token}@${opts.chainId}/transfer?address=${opts.address}&uint256=${opts.units}`;
  }
  return `ethereum:${opts.address}@${opts.chainId}?value=${opts.units}`;
}

/** An EVM address as wallets show it (EIP-55); any other (bech32, base58) as it is. */
export function addressForDisplay(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? getAddress(address) : address;
}

/**
 * The address a payment's sender is shown as (payments.sender; invoices/senders.ts):
 * its first item, an address on every chain; '' when the sender is unknown.
 */
export function senderAddress(sender: string): string {
  return addressForDisplay(sender.split(' ')[0] ?? '');
}
