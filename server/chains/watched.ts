/**
 * The addresses an adapter looks for in blocks and the mempool: those the
 * engine names as open, reloaded once a minute, and each new invoice's from
 * the moment it is created. They are kept by the key blocks are matched on:
 * the lower-case address on an EVM chain, the output script on a UTXO chain.
 */
import type { Clock } from '../clock';
import type { ChainSink } from './adapter';

const REFRESH_MS = 60_000;

export class WatchedAddresses {
  /** key → address */
  private current = new Map<string, string>();
  private addedSinceRefresh = new Map<string, string>();
  private lastRefresh = 0;

  constructor(
    private readonly clock: Clock,
    /** The key an address is matched by; undefined for one that cannot be paid on this chain. */
    private readonly keyOf: (address: string) => string | undefined = (a) => a.toLowerCase(),
  ) {}

  has(key: string): boolean {
    return this.current.has(key);
  }

  /** The watched address whose key this is. */
  get(key: string): string | undefined {
    return this.current.get(key);
  }

  add(address: string): void {
    const key = this.keyOf(address);
    if (key === undefined) return;
    this.current.set(key, address.toLowerCase());
    this.addedSinceRefresh.set(key, address.toLowerCase());
  }

  /**
   * Reloads the set when it is a minute old, as of `asOfMs` (the scanned block's time), not the clock's:
   * after downtime, an invoice whose late window closed while Payframe was down is still watched until
   * the scan gets there. An address added while the engine answers is kept.
   */
  async refreshIfDue(sink: ChainSink, chain: string, asOfMs: number): Promise<void> {
    if (this.clock.now() - this.lastRefresh <= REFRESH_MS) return;
    this.addedSinceRefresh = new Map();
    // Keys already known are reused: decoding 100,000 addresses to scripts every minute would cost seconds.
    const known = new Map<string, string>();
    for (const [key, address] of this.current) known.set(address, key);
    const fresh = new Map<string, string>();
    for (const address of await sink.watchedAddresses(chain, asOfMs)) {
      const key = known.get(address) ?? this.keyOf(address);
      if (key !== undefined) fresh.set(key, address);
    }
    for (const [key, address] of this.addedSinceRefresh) fresh.set(key, address);
    this.current = fresh;
    this.lastRefresh = this.clock.now();
  }
}
