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

/** An EVM chain's ChainAdapter.paymentRequest: the EIP-55 address and its EIP-681 URI. */
export function evmPaymentRequest(address: string, chainId: number, units: bigint, token?: string): { address: string; uri: string } {
  const checksummed = getAddress(address);
  return { address: checksummed, uri: eip681({ address: checksummed, chainId, units, token }) };
}
