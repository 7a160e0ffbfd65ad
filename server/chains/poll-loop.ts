/**
 * The loop a chain adapter follows its node with: a round (`poll`) every
 * interval, at once again while it is behind the head, and on failure a
 * growing wait (never past MAX_BACKOFF_MS). A failure never stops the
 * server; the round is redone.
 */
import type { Logger } from '../logger';

const MAX_BACKOFF_MS = 30_000;

export interface Round {
  /** One round; false while still behind the head. */
  poll(): Promise<boolean>;
  /** The round failed: the node cannot be followed for now. */
  blind(): void;
}

export class PollLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private wakeSleep: () => void = () => undefined;

  constructor(
    private readonly chain: string,
    private readonly intervalMs: number,
    private readonly log: Logger,
    /** The failure in one line, without secrets (an RPC URL may carry credentials). */
    private readonly describe: (err: unknown) => string,
  ) {}

  /** False once stop() was called: a long catch-up stops between blocks. */
  isRunning(): boolean {
    return this.running;
  }

  start(round: Round): void {
    this.running = true;
    this.done = this.loop(round);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSleep();
    await this.done;
  }

  private async loop(round: Round): Promise<void> {
    let failures = 0;
    while (this.running) {
      let delay = this.intervalMs;
      try {
        const caughtUp = await round.poll();
        failures = 0;
        if (!caughtUp) delay = 0;
      } catch (err) {
        round.blind();
        failures++;
        delay = Math.min(this.intervalMs * 2 ** failures, MAX_BACKOFF_MS);
        this.log.warn(`chain ${this.chain}: ${this.describe(err)}; retrying in ${delay} ms`);
      }
      if (delay > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
