/**
 * What the engine needs from a chain, and what a chain tells the engine.
 * The sandbox, the EVM and the UTXO adapter implement it; the engine never knows
 * which one it talks to. An adapter knows the engine only as a ChainSink: it
 * reports through it and asks it for what it recorded (never reading the
 * engine's tables), so it keeps nothing of its own but its checkpoint.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PaymentRequest } from '../checkout/payment-uri';
import type { Currency } from '../money/currencies';

/**
 * The tables an adapter may use: its own checkpoint (the blocks it scanned)
 * and the merchants' extended public keys its addresses derive from. The
 * engine's tables are out of its reach; the compiler refuses a query on them.
 */
export type ChainDb = Kysely<Pick<Database, 'chain_blocks' | 'merchant_xpubs'>>;

export interface BlockRef {
  number: number;
  hash: string;
  /** When the block was mined (ms, from its header). Lateness is judged by it, not by when Payframe saw the block. */
  timestamp?: number;
}

/**
 * A transfer of `currency` to `to`, identified by (chain, txHash, position).
 * The position tells apart the payments one transaction makes: on an EVM
 * chain -1 for its native value and the ordinal of a token's Transfer log
 * (evm/scan.ts), on a UTXO chain the output index (vout). `block` is null in
 * the mempool.
 */
export interface PaymentObservation {
  chain: string;
  txHash: string;
  position: number;
  to: string;
  from: string;
  currency: string;
  amount: bigint;
  block: BlockRef | null;
}

export interface TransferRef {
  chain: string;
  txHash: string;
  position: number;
}

/** The merchant has no extended public key for the chain family, so no address can be derived. */
export class MissingXpubError extends Error {
  constructor(
    message: string,
    /** What `merchant set-xpub --chain` takes to set it: "evm", or a UTXO chain's name. */
    readonly family: string,
  ) {
    super(message);
  }
}

export interface ChainSink {
  payment(obs: PaymentObservation): Promise<void>;
  /**
   * The payments one block (or one look at the mempool) shows, reported
   * together: the engine changes every invoice they concern in one
   * transaction, where one by one a block paying 1,000 invoices costs 1,000.
   */
  payments(observations: readonly PaymentObservation[]): Promise<void>;
  /** The transfer left the chain: dropped from the mempool, or its block was orphaned and it was not re-included. */
  removed(ref: TransferRef): Promise<void>;
  /** The transfer's block was orphaned; it is pending again until seen in a block. */
  unconfirmed(ref: TransferRef): Promise<void>;
  tip(chain: string, tip: BlockRef): Promise<void>;
  /**
   * Lower-case addresses of the invoices on `chain` that can still receive a
   * payment worth reporting, judged as of `asOfMs` (default: the clock's now).
   * A chain that scans behind the clock passes the time of the block it has
   * scanned to, so that after downtime an invoice whose late window closed
   * meanwhile is still watched until the scan has passed that moment.
   */
  watchedAddresses(chain: string, asOfMs?: number): Promise<string[]>;
  /**
   * The payments on `chain` the engine holds as in the mempool: what an
   * adapter was following before a restart, to settle (mined, dropped) now.
   */
  unconfirmedPayments(chain: string): Promise<PaymentObservation[]>;
  /**
   * The payments on `chain` the engine holds as mined above `height`: those a
   * reorg back to `height` orphans, for the adapter to report `unconfirmed`.
   */
  paymentsAbove(chain: string, height: number): Promise<PaymentObservation[]>;
  /** The tip last reported for `chain`, or null: an adapter without a checkpoint of its own (the sandbox) continues from it. */
  lastTip(chain: string): Promise<BlockRef | null>;
}

export interface ChainAdapter {
  readonly id: string;
  supports(currency: Currency): boolean;
  confirmations(currency: Currency): { paid: number; final: number };
  /** The token contract on this chain, if the currency is a token. */
  tokenContract(currency: Currency): `0x${string}` | undefined;
  /**
   * What the buyer is asked to pay `units` (> 0) to an invoice `address` (as stored: lower case) with: the payment URI
   * (EIP-681, BIP-21) and, where a browser wallet can send it (EVM chains), the same payment as a transaction.
   */
  paymentRequest(address: string, currency: Currency, units: bigint): PaymentRequest;
  /** Addresses with the same scope share one index counter (allocated in the invoice's transaction). */
  addressScope(account: string, currency: Currency): string;
  /**
   * Loads what the account's addresses derive from, and returns the
   * derivation (synchronous and CPU-bound: the engine runs it outside the invoice transaction):
   * a 0x address on an EVM chain (lower case will do: the engine stores it so), a bech32 one on a UTXO chain.
   * Throws MissingXpubError when the merchant has no key for this chain.
   */
  addressDeriver(account: string, currency: Currency): Promise<(index: number) => string>;
  /**
   * The time up to which every payment on this chain is known (ms): Infinity
   * while the scan is at the node's head, the time of the last scanned block
   * while it catches up or cannot reach the node, 0 before its first scan.
   * An invoice expires only once this has passed its expiry, so a payment
   * mined in time but not yet scanned (after downtime, say) never finds it
   * archived. Without it (the sandbox): always Infinity.
   */
  scannedThrough?(): number;
  /** Starts watching a new invoice's address (adapters that scan by address). */
  watch?(address: string): void;
  start(sink: ChainSink): Promise<void>;
  stop(): Promise<void>;
}
