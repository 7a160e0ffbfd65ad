/**
 * One buyer's event stream after its first frames: every later version of
 * the invoice, in order and each once, from the invoice's feed (feeds.ts),
 * until a final one. The clock's part (an expired invoice's late-payment
 * window closing, which no version records) is applied here.
 */
import type { Clock } from '../clock';
import { sseFrame, type CheckoutFeeds, type Frame } from './feeds';
import { readStoredView, viewAsOf } from './view';

export interface FrameSink {
  write(bytes: Uint8Array): Promise<unknown>;
  onAbort(listener: () => void): void;
}

/** The same version again, made final by the clock. */
function closedFrame(frame: Frame, now: number): Frame {
  const text = JSON.stringify(viewAsOf(readStoredView(frame.text), now));
  return { ...frame, final: true, lateWindowEnd: null, text, bytes: sseFrame(frame.version, text) };
}

/**
 * Writes `first` (the snapshot, or what a resumed client missed), then
 * follows the invoice. `has`: the version the client already had (0 for
 * none), and `hasFrame` that version's frame when it is the current one.
 * Resolves when a final frame is written or the client is gone; rejects
 * when a version cannot be read.
 */
export async function followInvoice(
  sink: FrameSink,
  deps: { feeds: CheckoutFeeds; clock: Clock },
  invoiceId: string,
  start: { has: number; hasFrame?: Frame | undefined; first: Frame[] },
): Promise<void> {
  const { feeds, clock } = deps;
  const { has, first } = start;
  let sent = has;
  let last = start.hasFrame;
  // A client resumed at a final version has everything.
  if (last?.final) return;
  const queue = [...first];
  let failure: { err: unknown } | undefined;
  let gone = false;
  let wake = () => undefined as void;
  sink.onAbort(() => {
    gone = true;
    wake();
  });
  const leave = feeds.join(invoiceId, first.at(-1)?.version ?? has, {
    frames(frames) {
      queue.push(...frames);
      wake();
    },
    failed(err) {
      failure ??= { err };
      wake();
    },
  });
  try {
    while (!gone) {
      if (failure) throw failure.err;
      let next = queue.shift();
      if (next) {
        if (next.version <= sent) continue;
        // Versions count up by one: a gap is a change this stream has not been handed (it joined its feed late).
        if (sent > 0 && next.version > sent + 1) {
          queue.unshift(...(await feeds.framesSince(invoiceId, sent)));
          continue;
        }
        if (next.lateWindowEnd !== null && clock.now() > next.lateWindowEnd) next = closedFrame(next, clock.now());
        await sink.write(next.bytes);
        sent = next.version;
        last = next;
        if (next.final) return;
        continue;
      }
      const end = last?.lateWindowEnd ?? null;
      if (last && end !== null && clock.now() > end) {
        // The late-payment window closed with nothing paid: the same version again, now final, so the client stops too.
        await sink.write(closedFrame(last, clock.now()).bytes);
        return;
      }
      const woken = new Promise<void>((resolve) => (wake = resolve));
      // No version marks the window closing, so a timer wakes the stream for it.
      const timer = end === null ? undefined : setTimeout(() => wake(), end + 1 - clock.now());
      await woken;
      clearTimeout(timer);
    }
  } finally {
    leave();
  }
}
