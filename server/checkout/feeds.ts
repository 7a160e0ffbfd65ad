/**
 * One reader per invoice for all of its open event streams. When the bus
 * says an invoice changed, its feed reads the new versions once, makes each
 * an SSE frame once (the stored view as stored, see checked-views.ts; the
 * bytes encoded once) and hands the same frames to every stream of that
 * invoice. A change then costs one query and one frame per invoice, not one
 * per stream: 10,000 buyers watching one invoice wake one reader, not
 * 10,000 readers queueing for the one database connection.
 *
 * The bus wakes a feed, and hands it the new version's view when this
 * process made the change: then nothing is read back (a block that changes
 * 1,000 invoices would otherwise read 1,000 views it just wrote), nor checked
 * against the contract (checkoutView made it; parsing and checking 1,000 views
 * was most of what the feeds cost such a block). Otherwise,
 * and after any gap, the versions are read from the database. A stream that joins
 * late, or sees a version skipped, reads what it misses itself (see
 * event-stream.ts), so no interleaving of joins, reads and changes loses a
 * version.
 */
import type { Bus, InvoiceChanged } from '../events/bus';
import type { CheckedViews, ServedView } from './checked-views';

export interface Frame {
  version: number;
  /** The view's `final`: nothing follows this frame. */
  final: boolean;
  /** lateWindowEnd of the view: when the same version becomes final by the clock alone. */
  lateWindowEnd: number | null;
  /** The view's JSON, as sent. */
  text: string;
  /** The whole SSE frame, UTF-8. */
  bytes: Uint8Array;
}

export interface StoredVersion {
  version: number;
  view: string;
}

/** A version this process wrote, handed over by the bus with its view. */
interface WrittenVersion {
  version: number;
  written: ServedView;
}

/** The versions of an invoice above `version`, in order. */
export type VersionsSince = (invoiceId: string, version: number) => Promise<StoredVersion[]>;

export interface FeedListener {
  frames(frames: readonly Frame[]): void;
  failed(err: unknown): void;
}

interface Feed {
  id: string;
  listeners: Set<FeedListener>;
  /** The highest version read (and handed out). */
  version: number;
  last: Frame | undefined;
  reading: boolean;
  again: boolean;
  unsubscribe: () => void;
}

const encoder = new TextEncoder();

/** An SSE frame as Hono's writeSSE writes one; `id:` is the version, for Last-Event-ID. */
export function sseFrame(version: number, text: string): Uint8Array {
  return encoder.encode(`event: invoice\ndata: ${text}\nid: ${version}\n\n`);
}

export class CheckoutFeeds {
  readonly #feeds = new Map<string, Feed>();
  readonly #bus: Bus;
  readonly #since: VersionsSince;
  readonly #views: CheckedViews;

  constructor(deps: { bus: Bus; since: VersionsSince; views: CheckedViews }) {
    this.#bus = deps.bus;
    this.#since = deps.since;
    this.#views = deps.views;
  }

  /** The frame of one stored version. Throws for a corrupt one (readStoredView). */
  frame(invoiceId: string, row: StoredVersion | WrittenVersion): Frame {
    const { text, final, lateWindowEnd } = 'written' in row ? this.#views.written(invoiceId, row.version, row.written) : this.#views.read(invoiceId, row.version, row.view);
    return { version: row.version, final, lateWindowEnd, text, bytes: sseFrame(row.version, text) };
  }

  /** The frames of the versions above `version`. */
  async framesSince(invoiceId: string, version: number): Promise<Frame[]> {
    return (await this.#since(invoiceId, version)).map((row) => this.frame(invoiceId, row));
  }

  /**
   * Hands `listener` every version of the invoice read from now on. It has
   * everything up to `version`. Returns the function that stops it.
   */
  join(invoiceId: string, version: number, listener: FeedListener): () => void {
    let feed = this.#feeds.get(invoiceId);
    if (!feed) {
      const created: Feed = { id: invoiceId, listeners: new Set(), version, last: undefined, reading: false, again: false, unsubscribe: () => undefined };
      created.unsubscribe = this.#bus.subscribe(invoiceId, (change) => void this.#read(created, change));
      this.#feeds.set(invoiceId, (feed = created));
      // A change committed after the listener's own read and before this feed listened woke nobody: look once.
      void this.#read(created);
    }
    feed.listeners.add(listener);
    // The feed is ahead: the listener sees a gap and reads what it missed.
    if (feed.last && feed.last.version > version) listener.frames([feed.last]);
    const joined = feed;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0 && this.#feeds.get(invoiceId) === joined) {
        joined.unsubscribe();
        this.#feeds.delete(invoiceId);
      }
    };
  }

  /** Open feeds (invoices with at least one stream). */
  get size(): number {
    return this.#feeds.size;
  }

  /** Reads the versions `feed` lacks; the change that woke it, when it carries the next version's view, is that version. */
  async #read(feed: Feed, change?: InvoiceChanged): Promise<void> {
    // Changes during a read are read right after it, by this same reader.
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    try {
      do {
        feed.again = false;
        const next: (StoredVersion | WrittenVersion)[] | undefined = change?.view !== undefined && change.version === feed.version + 1 ? [{ version: change.version, written: change.view }] : undefined;
        change = undefined;
        const rows = next ?? (await this.#since(feed.id, feed.version));
        if (rows.length === 0) continue;
        feed.version = rows.at(-1)!.version;
        let frames: Frame[];
        try {
          frames = rows.map((row) => this.frame(feed.id, row));
        } catch (err) {
          for (const listener of feed.listeners) listener.failed(err);
          continue;
        }
        feed.last = frames.at(-1);
        for (const listener of feed.listeners) listener.frames(frames);
      } while (feed.again && feed.listeners.size > 0);
    } catch (err) {
      for (const listener of feed.listeners) listener.failed(err);
    } finally {
      feed.reading = false;
    }
  }
}
