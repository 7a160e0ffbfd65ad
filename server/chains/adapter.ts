/**
 * What the engine needs from a chain, and what a chain tells the engine.
 * The sandbox and the EVM adapter both implement it; the engine never knows
 * which one it talks to.
 */
import type { Currency } from '../money/currencies';

export interface BlockRef {
  number: number;
  hash: string;
}

/** A transfer of `currency` to `to`, identified by (chain, txHash, logIndex). `block` is null in the mempool. */
export interface PaymentObservation {
  chain: string;
  txHash: string;
  logIndex: number;
  to: string;
  from: string;
  currency: string;
  amount: bigint;
  block: BlockRef | null;
}

export interface ChainSink {
  payment(obs: PaymentObservation): Promise<void>;
  /** The transfer left the chain: dropped from the mempool, or its block was orphaned and it was not re-included. */
  removed(ref: { chain: string; txHash: string; logIndex: number }): Promise<void>;
  tip(chain: string, tip: BlockRef): Promise<void>;
}

export interface ChainAdapter {
  readonly id: string;
  supports(currency: Currency): boolean;
  confirmations(currency: Currency): { paid: number; final: number };
  /** The EIP-155 chain id put into payment URIs. */
  chainId(currency: Currency): number;
  /** The token contract on this chain, if the currency is a token. */
  tokenContract(currency: Currency): `0x${string}` | undefined;
  /** Addresses with the same scope share one index counter. */
  addressScope(account: string): string;
  deriveAddress(account: string, index: number): Promise<`0x${string}`>;
  start(sink: ChainSink): Promise<void>;
  stop(): Promise<void>;
}
