/**
 * The demo's sandbox wallet, server side: what a transaction the checkout
 * asked the simulated wallet to send (eth_sendTransaction's fields) pays, so
 * the shop's backend can make that payment on the sandbox chain. Plain
 * ETH-like value to `to`, or an ERC-20 transfer(address, uint256) call.
 */
const TRANSFER = /^0xa9059cbb0{24}([0-9a-f]{40})([0-9a-f]{64})$/i;

export interface WalletTx {
  to?: unknown;
  value?: unknown;
  data?: unknown;
}

/** The recipient and amount (base units) a transaction pays, or an error naming what is wrong with it. */
export function walletTransfer(tx: WalletTx): { ok: true; to: string; units: bigint } | { ok: false; reason: string } {
  if (typeof tx.data === 'string' && tx.data !== '0x') {
    const m = TRANSFER.exec(tx.data);
    return m ? { ok: true, to: `0x${m[1]!}`, units: BigInt(`0x${m[2]!}`) } : { ok: false, reason: 'the sandbox wallet sends ETH-like value or an ERC-20 transfer(address,uint256), nothing else' };
  }
  if (typeof tx.to !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(tx.to)) return { ok: false, reason: 'tx.to must be an address' };
  if (typeof tx.value !== 'string' || !/^0x[0-9a-f]+$/i.test(tx.value)) return { ok: false, reason: 'tx.value must be a 0x hex quantity' };
  return { ok: true, to: tx.to, units: BigInt(tx.value) };
}
