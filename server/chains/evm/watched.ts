/**
 * The addresses the EVM adapter looks for in blocks and the mempool: those
 * the engine names as open, reloaded once a minute, and each new invoice's
 * from the moment it is created.
 */
import type { Clock } from '../../clock';
import type { ChainSink } from '../adapter';

const REFRESH_MS = 60_000;

export class WatchedAddresses {
  private current = new Set<string>();
  private addedSinceRefresh = new Set<string>();
  private lastRefresh = 0;

  constructor(private readonly clock: Clock) {}

  has(address: string): boolean {
    return this.current.has(address);
  }

  add(address: string): void {
    const lower = address.toLowerCase();
    this.current.add(lower);
    this.addedSinceRefresh.add(lower);
  }

  /**
   * Reloads the set when it is a minute old, as of `asOfMs` (the scanned block's time), not the clock's:
   * after downtime, an invoice whose late window closed while Payframe was down is still watched until
   * the scan gets there. An address added while the engine answers is kept.
   */
  async refreshIfDue(sink: ChainSink, chain: string, asOfMs: number): Promise<void> {
    if (this.clock.now() - this.lastRefresh <= REFRESH_MS) return;
    this.addedSinceRefresh = new Set();
    const fresh = new Set(await sink.watchedAddresses(chain, asOfMs));
    for (const a of this.addedSinceRefresh) fresh.add(a);
    this.current = fresh;
    this.lastRefresh = this.clock.now();
  }
}
