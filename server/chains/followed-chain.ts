/**
 * What the EVM and the UTXO adapters share as classes: a watched set, and a
 * follower (one round of following the node) driven by a PollLoop once started.
 */
import type { ChainAdapter, ChainSink } from './adapter';
import type { PollLoop, Round } from './poll-loop';
import type { WatchedAddresses } from './watched';

type Follower = Round & { scannedThrough(): number };

export abstract class FollowedChain implements Pick<ChainAdapter, 'scannedThrough' | 'watch' | 'stop'> {
  abstract readonly id: string;
  protected abstract readonly watched: WatchedAddresses;
  protected abstract readonly loop: PollLoop;
  private follower: Follower | undefined;

  abstract start(sink: ChainSink): Promise<void>;

  /** Starts the loop on `follower` (from start()). */
  protected follow(follower: Follower): void {
    this.follower = follower;
    this.loop.start(follower);
  }

  scannedThrough(): number {
    return this.follower?.scannedThrough() ?? 0;
  }

  watch(address: string): void {
    this.watched.add(address);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round now (the benchmark drives the scan with it). Returns false while still behind the head. */
  poll(): Promise<boolean> {
    if (!this.follower) throw new Error(`chain ${this.id} is not started`);
    return this.follower.poll();
  }
}
